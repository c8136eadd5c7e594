using ComposerBot.Discord.Models;
using ComposerBot.Discord.Rest;

namespace ComposerBot.Discord.Interactions;

/// <summary>
/// Sends the responses to one interaction and keeps Discord's rules on our side of the wire: exactly one
/// first response, within 3 s of our receipt; edits and follow-ups only after it and only while the
/// 15-minute token lives. A rule that would be broken throws <see cref="InteractionExpiredException"/> and
/// sends nothing. Over the HTTP endpoint, the first response (without files) is the HTTP reply itself.
/// </summary>
public sealed class InteractionResponder(InteractionContext context, DiscordRestClient rest, TimeProvider time, Func<InteractionResponse, bool>? replyOverHttp = null)
{
    public const int UnknownInteraction = DiscordHttpException.UnknownInteraction;
    public const int AlreadyAcknowledged = DiscordHttpException.AlreadyAcknowledged;
    public const int InvalidWebhookToken = 50027;

    public InteractionContext Context => context;

    /// <summary>Whether the first response was a deferral made for a handler that was too slow.</summary>
    public bool AutoDeferred { get; private set; }

    private Interaction Interaction => context.Interaction;

    /// <summary>The first response (a message, a deferral, autocomplete choices, a modal).</summary>
    public async Task RespondAsync(InteractionResponse response, IReadOnlyList<FileUpload>? files = null, CancellationToken cancellationToken = default)
    {
        if (context.IsAcknowledged)
        {
            throw new InteractionExpiredException(AlreadyAcknowledged, "this interaction was already acknowledged; edit the original response or send a follow-up.");
        }

        if (time.GetUtcNow() >= context.AckDeadline)
        {
            throw new InteractionExpiredException(UnknownInteraction, "the 3 s window for the first response has passed.");
        }

        if (replyOverHttp is not null && files is { Count: > 0 })
        {
            throw new InvalidOperationException("over the HTTP endpoint the first response cannot carry files: defer, then edit the original response with them.");
        }

        if (!context.TryAcknowledge())
        {
            throw new InteractionExpiredException(AlreadyAcknowledged, "this interaction was already acknowledged; edit the original response or send a follow-up.");
        }

        if (replyOverHttp is not null && replyOverHttp(response))
        {
            return;
        }

        try
        {
            await rest.CreateInteractionResponseAsync(Interaction.Id, Interaction.Token, response, files, Interaction.AttachmentSizeLimit, cancellationToken).ConfigureAwait(false);
        }
        catch (DiscordHttpException)
        {
            // Discord refused it (the interaction unknown or expired): no webhook exists, so no edit or follow-up can follow.
            FirstResponseRefused = true;
            throw;
        }
    }

    /// <summary>Whether Discord refused the first response: then nothing more can be sent for this interaction.</summary>
    public bool FirstResponseRefused { get; private set; }

    /// <summary>Defers on a slow handler's behalf; its own first response then becomes an edit.</summary>
    internal async Task AutoDeferAsync(CancellationToken cancellationToken)
    {
        await DeferAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        AutoDeferred = true;
    }

    /// <summary>"Thinking...": the original response comes later (for a component, the message stays as it is).</summary>
    public Task DeferAsync(bool ephemeral = false, CancellationToken cancellationToken = default) => RespondAsync(
        new InteractionResponse(
            Interaction.Type == InteractionType.MessageComponent ? InteractionCallbackType.DeferredUpdateMessage : InteractionCallbackType.DeferredChannelMessageWithSource,
            ephemeral ? new InteractionCallbackData { Flags = InteractionCallbackData.EphemeralFlag } : null),
        null,
        cancellationToken);

    public Task EditOriginalAsync(MessagePayload message, IReadOnlyList<FileUpload>? files = null, CancellationToken cancellationToken = default)
    {
        EnsureWebhookUsable();
        return rest.EditOriginalResponseAsync(Interaction.ApplicationId, Interaction.Token, message, files, Interaction.AttachmentSizeLimit, cancellationToken);
    }

    public Task FollowupAsync(MessagePayload message, IReadOnlyList<FileUpload>? files = null, CancellationToken cancellationToken = default)
    {
        EnsureWebhookUsable();
        return rest.CreateFollowupMessageAsync(Interaction.ApplicationId, Interaction.Token, message, files, Interaction.AttachmentSizeLimit, cancellationToken);
    }

    /// <summary>Deletes the original response (say, a public "thinking..." that turned into a private refusal).</summary>
    public Task DeleteOriginalAsync(CancellationToken cancellationToken = default)
    {
        EnsureWebhookUsable();
        return rest.DeleteOriginalResponseAsync(Interaction.ApplicationId, Interaction.Token, cancellationToken);
    }

    /// <summary>Whether the token still works for edits and follow-ups; when not, post to the channel instead.</summary>
    public bool TokenAlive => context.TokenAlive(time.GetUtcNow());

    private void EnsureWebhookUsable()
    {
        if (FirstResponseRefused)
        {
            throw new InteractionExpiredException(UnknownInteraction, "Discord refused the first response, so this interaction has no webhook to edit or follow up on.");
        }

        if (!context.IsAcknowledged)
        {
            throw new InteractionExpiredException(UnknownInteraction, "respond or defer before editing the response or following up.");
        }

        if (!TokenAlive)
        {
            throw new InteractionExpiredException(InvalidWebhookToken, "the interaction token has expired (15 minutes); post a channel message instead.");
        }
    }
}
