using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using ComposerBot.Discord.Models;
using ComposerBot.Discord.Rest;
using ComposerBot.Jobs;
using ComposerBot.Jobs.Publishing;
using ComposerBot.Studio;
using ComposerBot.Studio.Kits;
using Microsoft.Extensions.Options;

namespace ComposerBot.Bot.Publishing;

/// <summary>
/// The discord channel: progress as edits of the interaction's original response (at most one per
/// <see cref="BotOptions.ProgressInterval"/>), then the track: audio, MIDI and piano roll attached within
/// the interaction's attachment limit (what does not fit is linked on the web), an embed and the buttons.
/// The final edit is idempotent (the same message edited again); once the 15-minute token is dead, the
/// result goes to the channel as a message that mentions the user, with the request id as its nonce.
/// </summary>
public sealed class DiscordResultPublisher(DiscordRestClient rest, IOptions<BotOptions> options, TimeProvider time) : IResultPublisher
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastEdit = new();

    public string Channel => DiscordOrigin.Channel;

    public async Task ReportProgressAsync(JobRequest request, JobProgress progress, CancellationToken cancellationToken)
    {
        var origin = DiscordOrigin.Of(request);
        var now = time.GetUtcNow();
        if (!TokenAlive(origin, now) || (_lastEdit.TryGetValue(request.Id, out var last) && now - last < options.Value.ProgressInterval))
        {
            return;
        }

        _lastEdit[request.Id] = now;
        await rest.EditOriginalResponseAsync(origin.ApplicationId, origin.Token, new MessagePayload { Content = ProgressText(progress, origin.Title) }, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async Task PublishAsync(JobRequest request, JobOutcome outcome, CancellationToken cancellationToken)
    {
        _lastEdit.TryRemove(request.Id, out _);
        var origin = DiscordOrigin.Of(request);
        var title = $"**{TrackMessage.Shorten(origin.Title, 200)}**";
        var (message, files) = outcome.State switch
        {
            JobState.Succeeded when request.Order.Kit => await KitAsync(request, outcome, origin, title, cancellationToken).ConfigureAwait(false),
            JobState.Succeeded => await TrackAsync(request, outcome, origin, title, cancellationToken).ConfigureAwait(false),
            JobState.Cancelled => (new MessagePayload { Content = $"🛑 Cancelled: {title}", Components = [] }, []),
            _ => (new MessagePayload { Content = $"⚠️ Could not make {title}: {outcome.Message}", Components = [] }, (IReadOnlyList<FileUpload>)[]),
        };

        if (TokenAlive(origin, time.GetUtcNow()))
        {
            try
            {
                await rest.EditOriginalResponseAsync(origin.ApplicationId, origin.Token, message, files, origin.AttachmentLimit, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (DiscordHttpException ex) when (ex.Code is DiscordHttpException.InvalidWebhookToken or DiscordHttpException.UnknownWebhook or DiscordHttpException.UnknownMessage)
            {
                // The token died on the way, or someone deleted the "thinking..." message: fall through to the channel.
            }
        }

        if (origin.ChannelId is null)
        {
            throw new InvalidOperationException($"request {request.Id}: the interaction token expired and there is no channel to post in.");
        }

        var user = request.Origin.UserId;
        var mention = message with
        {
            Content = $"<@{user}> {message.Content}".TrimEnd(),
            AllowedMentions = new AllowedMentions([], [user]),
            Nonce = request.Id,
            EnforceNonce = true,
        };
        await rest.CreateMessageAsync(origin.ChannelId, mention, files, origin.AttachmentLimit, cancellationToken).ConfigureAwait(false);
    }

    public static string ProgressText(JobProgress progress, string title)
    {
        var name = $"**{TrackMessage.Shorten(title, 200)}**";
        return progress.Phase switch
        {
            JobPhase.Queued => $"⏳ Queued #{progress.Position}: {name}",
            JobPhase.Planning or JobPhase.Generating => string.Create(CultureInfo.InvariantCulture, $"🎼 Composing {name}… {(progress.Phase == JobPhase.Generating ? progress.Fraction : 0):0%}"),
            JobPhase.Rendering => string.Create(CultureInfo.InvariantCulture, $"🎛️ Rendering {name}… {progress.Fraction:0%}"),
            JobPhase.Encoding => $"📦 Encoding {name}…",
            _ => $"📮 Posting {name}…",
        };
    }

    private bool TokenAlive(DiscordOrigin origin, DateTimeOffset now) =>
        now < origin.ReceivedAt + Discord.Interactions.InteractionContext.TokenLifetime - options.Value.TokenMargin;

    /// <summary>The track's message and files: audio, MIDI, piano roll and stems (zipped) while they fit the limit; links for the rest.</summary>
    private async Task<(MessagePayload, IReadOnlyList<FileUpload>)> TrackAsync(JobRequest request, JobOutcome outcome, DiscordOrigin origin, string title, CancellationToken cancellationToken)
    {
        var receipt = StudioJsonContext.Deserialize(await File.ReadAllTextAsync(outcome.Files["receipt"], cancellationToken).ConfigureAwait(false));
        var candidates = new List<(string Kind, string Path)> { ("audio", outcome.Files["audio"]), ("midi", outcome.Files["midi"]), ("piano_roll", outcome.Files["piano_roll"]) };
        var stems = outcome.Files.Where(f => f.Key.StartsWith("stem_", StringComparison.Ordinal)).Select(f => f.Value).ToList();
        if (stems.Count > 0)
        {
            candidates.Add(("stems", await ZipAsync(outcome.Files["audio"], stems, cancellationToken).ConfigureAwait(false)));
        }

        var files = new List<FileUpload>();
        var links = new List<string>();
        long total = 0;
        foreach (var (kind, path) in candidates)
        {
            var size = new FileInfo(path).Length;
            if (total + size <= origin.AttachmentLimit)
            {
                files.Add(new FileUpload(Path.GetFileName(path), await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false)));
                total += size;
            }
            else
            {
                links.Add(kind);
            }
        }

        var baseUrl = options.Value.PublicUrl.TrimEnd('/');
        // The track page (the web's /tracks/{receipt}) plays the audio and offers every file.
        var link = links.Count == 0 ? null : $"{baseUrl}/tracks/{receipt.ReceiptId}";
        var content = links.Count == 0 ? $"✅ {title}" : $"✅ {title} (too large to attach here: {string.Join(", ", links.Select(k => $"[{k}]({baseUrl}/api/requests/{request.Id}/files/{k})"))})";
        return (new MessagePayload
        {
            Content = content,
            Embeds = [TrackMessage.Embed(receipt, origin.Title, link)],
            Components = TrackMessage.Buttons(request.Id, receipt),
        }, files);
    }

    /// <summary>
    /// A kit's message: the starting-soon loop to preview it, and the kit's zip when both fit the attachment
    /// limit; otherwise a link to the kit's web page, which offers the zip and every piece.
    /// </summary>
    private async Task<(MessagePayload, IReadOnlyList<FileUpload>)> KitAsync(JobRequest request, JobOutcome outcome, DiscordOrigin origin, string title, CancellationToken cancellationToken)
    {
        var kit = StudioJsonContext.DeserializeKit(await File.ReadAllTextAsync(outcome.Files["receipt"], cancellationToken).ConfigureAwait(false));
        var files = new List<FileUpload>();
        long total = 0;
        foreach (var path in new[] { outcome.Files["audio"], outcome.Files["zip"] })
        {
            var size = new FileInfo(path).Length;
            if (total + size <= origin.AttachmentLimit)
            {
                files.Add(new FileUpload(Path.GetFileName(path), await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false)));
                total += size;
            }
        }

        var page = $"{options.Value.PublicUrl.TrimEnd('/')}/kits/{request.Id}";
        var zipped = files.Any(f => f.FileName.EndsWith(".zip", StringComparison.Ordinal));
        var content = zipped
            ? $"✅ {title}: the whole kit is in the zip, with README.txt for OBS; the starting-soon loop is here to preview."
            : $"✅ {title}: the kit is too large to attach here, [download it from its page]({page}); the starting-soon loop is here to preview.";
        return (new MessagePayload { Content = content, Embeds = [TrackMessage.KitEmbed(kit, origin.Title, page)], Components = [] }, files);
    }

    /// <summary>The stems in one zip beside the audio, written once (a second publish reuses it).</summary>
    private static async Task<string> ZipAsync(string audioPath, IReadOnlyList<string> stems, CancellationToken cancellationToken)
    {
        var zip = Path.ChangeExtension(audioPath, ".stems.zip");
        if (File.Exists(zip))
        {
            return zip;
        }

        var temp = zip + ".partial";
        await using (var archive = await ZipFile.OpenAsync(temp, ZipArchiveMode.Create, cancellationToken).ConfigureAwait(false))
        {
            foreach (var stem in stems)
            {
                await archive.CreateEntryFromFileAsync(stem, Path.GetFileName(stem), CompressionLevel.NoCompression, cancellationToken).ConfigureAwait(false);
            }
        }

        File.Move(temp, zip, overwrite: true);
        return zip;
    }
}
