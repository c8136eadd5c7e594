using ComposerBot.Discord.Interactions;
using ComposerBot.Discord.Models;
using ComposerBot.Discord.Rest;

namespace ComposerBot.Discord.Modules;

/// <summary>
/// The base of command modules (a new instance per interaction, built from the service container): the
/// interaction's context and the ways to answer it, as in Discord.Net's InteractionModuleBase.
/// </summary>
public abstract class InteractionModuleBase
{
    public InteractionContext Context => Responder.Context;

    /// <summary>Sends this interaction's responses; set by the <see cref="InteractionService"/>.</summary>
    public InteractionResponder Responder { get; internal set; } = null!;

    protected Task DeferAsync(bool ephemeral = false, CancellationToken cancellationToken = default) =>
        Responder.DeferAsync(ephemeral, cancellationToken);

    /// <summary>
    /// The first response: a message. When the handler was too slow and the interaction was deferred for it,
    /// this edits the deferred response instead (its visibility was fixed by the deferral).
    /// </summary>
    protected Task RespondAsync(string? content = null, bool ephemeral = false, IReadOnlyList<Embed>? embeds = null, IReadOnlyList<MessageComponent>? components = null, IReadOnlyList<FileUpload>? files = null, CancellationToken cancellationToken = default) =>
        Responder.AutoDeferred
            ? ModifyOriginalResponseAsync(new MessagePayload { Content = content, Embeds = embeds, Components = components }, files, cancellationToken)
            : Responder.RespondAsync(
            new InteractionResponse(InteractionCallbackType.ChannelMessageWithSource, new InteractionCallbackData
            {
                Content = content,
                Flags = ephemeral ? InteractionCallbackData.EphemeralFlag : null,
                Embeds = embeds,
                Components = components,
                Attachments = Attachments(files),
            }),
            files,
            cancellationToken);

    protected Task RespondWithModalAsync(Modal modal, CancellationToken cancellationToken = default) =>
        Responder.RespondAsync(new InteractionResponse(InteractionCallbackType.Modal, new InteractionCallbackData { CustomId = modal.CustomId, Title = modal.Title, Components = modal.Components }), null, cancellationToken);

    protected Task ModifyOriginalResponseAsync(MessagePayload message, IReadOnlyList<FileUpload>? files = null, CancellationToken cancellationToken = default) =>
        Responder.EditOriginalAsync(message with { Attachments = message.Attachments ?? Attachments(files) }, files, cancellationToken);

    protected Task DeleteOriginalResponseAsync(CancellationToken cancellationToken = default) => Responder.DeleteOriginalAsync(cancellationToken);

    protected Task FollowupAsync(MessagePayload message, IReadOnlyList<FileUpload>? files = null, CancellationToken cancellationToken = default) =>
        Responder.FollowupAsync(message with { Attachments = message.Attachments ?? Attachments(files) }, files, cancellationToken);

    private static IReadOnlyList<AttachmentReference>? Attachments(IReadOnlyList<FileUpload>? files) =>
        files is { Count: > 0 } ? FileUpload.References(files) : null;
}
