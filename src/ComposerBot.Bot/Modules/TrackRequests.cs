using ComposerBot.Bot.Publishing;
using ComposerBot.Composition.Prompts;
using ComposerBot.Composition.Requests;
using ComposerBot.Discord.Interactions;
using ComposerBot.Discord.Models;
using ComposerBot.Jobs;
using ComposerBot.Jobs.Publishing;
using ComposerBot.Jobs.Storage;
using ComposerBot.Rendering.Encoding;
using Microsoft.Extensions.Options;

namespace ComposerBot.Bot.Modules;

/// <summary>
/// How every track command and button answers: a request that cannot be read is refused at once, only to
/// the user; otherwise it is acknowledged in public before any I/O (the 3 s deadline), then checked
/// against the channel and the limits (a refusal takes the public message back and tells only the user),
/// queued, and its place shown; the worker's progress and the finished track then edit that message.
/// </summary>
public sealed class TrackRequests(JobClient jobs, RequestStore store, IOptions<BotOptions> options)
{
    public async Task<string?> SubmitAsync(TrackModuleBase module, TrackOptions track, string format, string title, JobOpening? opening = null, string? parentId = null, string? relation = null, bool kit = false, CancellationToken cancellationToken = default)
    {
        var context = module.Context;
        var limit = context.Interaction.AttachmentSizeLimit ?? options.Value.DefaultAttachmentLimit;
        JobOrder order;
        try
        {
            // What can be checked without I/O is answered at once, in private.
            var audio = AudioFormats.FromPath("x." + format);
            order = new JobOrder(track)
            {
                Format = format,
                // Lossy audio steps its bitrate down to fit beside the MIDI and the picture; lossless is linked when too large.
                MaxBytes = audio is AudioFormat.Flac or AudioFormat.Wav ? 1L << 31 : limit - (256 * 1024),
                Opening = opening,
                Kit = kit,
            };
            order.Track.Read().Request.Resolve();
        }
        catch (Exception ex) when (ex is CompositionException or Rendering.RenderException)
        {
            await module.ReplyPrivatelyAsync(ex.Message, cancellationToken).ConfigureAwait(false);
            return null;
        }

        // Acknowledge before any I/O: the 3 s deadline holds however busy the queue's database is.
        await module.AcknowledgeAsync($"⏳ Queued: **{TrackMessage.Shorten(title, 200)}**", cancellationToken).ConfigureAwait(false);
        if (context.Interaction.GuildId is { } guild)
        {
            var settings = await store.GetGuildSettingsAsync(guild, cancellationToken).ConfigureAwait(false);
            if (settings.ChannelId is { } only && context.Interaction.ChannelId != only)
            {
                await module.RefusePrivatelyAsync($"On this server I compose in <#{only}> only.", cancellationToken).ConfigureAwait(false);
                return null;
            }

            if (settings.DefaultStyle is { } style && track.Style is null && !PromptParser.Parse(track.Prompt).NamesStyle)
            {
                order = order with { Track = track with { Style = ParseStyle(style) } };
            }
        }

        var origin = DiscordOrigin.For(context, title, options.Value.DefaultAttachmentLimit, parentId, relation);
        var admission = await jobs.SubmitAsync(order, origin, cancellationToken).ConfigureAwait(false);
        if (!admission.Accepted)
        {
            await module.RefusePrivatelyAsync(admission.Reason!, cancellationToken).ConfigureAwait(false);
            return null;
        }

        await module.EditAsync(DiscordResultPublisher.ProgressText(new JobProgress(JobPhase.Queued, 0, admission.Position), title), cancellationToken).ConfigureAwait(false);
        return admission.RequestId;
    }

    /// <summary>A style by any of its names ("lofi", "lo-fi", "8-bit"); throws for one that is not.</summary>
    public static Style ParseStyle(string text)
    {
        var parsed = PromptParser.Parse(text);
        return parsed.NamesStyle
            ? parsed.Request.Style
            : throw new CompositionException($"'{text}' is not a style; use one of {string.Join(", ", Enum.GetValues<Style>().Select(StyleProfile.Name))}.");
    }
}

/// <summary>The answers the track commands share (the module base keeps its own methods protected).</summary>
public abstract class TrackModuleBase : Discord.Modules.InteractionModuleBase
{
    public Task ReplyPrivatelyAsync(string message, CancellationToken cancellationToken) =>
        RespondAsync($"⚠️ {message}", ephemeral: true, cancellationToken: cancellationToken);

    /// <summary>The public acknowledgement: a deferral for a command, a new message for a button (not an edit of the track it is on).</summary>
    public Task AcknowledgeAsync(string text, CancellationToken cancellationToken) =>
        Responder.AutoDeferred ? Task.CompletedTask
        : Context.Interaction.Type == InteractionType.MessageComponent
            ? RespondAsync(text, cancellationToken: cancellationToken)
            : DeferAsync(cancellationToken: cancellationToken);

    public Task EditAsync(string text, CancellationToken cancellationToken) =>
        ModifyOriginalResponseAsync(new MessagePayload { Content = text }, cancellationToken: cancellationToken);

    /// <summary>After a public acknowledgement: takes it back and tells only the user why.</summary>
    public async Task RefusePrivatelyAsync(string message, CancellationToken cancellationToken)
    {
        await DeleteOriginalResponseAsync(cancellationToken).ConfigureAwait(false);
        await FollowupAsync(new MessagePayload { Content = $"⚠️ {message}", Flags = InteractionCallbackData.EphemeralFlag }, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
