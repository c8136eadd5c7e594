namespace ComposerBot.Discord.Models;

/// <summary>A message body (content, flags) with the attachments of the files sent beside it.</summary>
public sealed record MessagePayload
{
    public string? Content { get; init; }

    public int? Flags { get; init; }

    public IReadOnlyList<AttachmentReference>? Attachments { get; init; }

    public IReadOnlyList<Embed>? Embeds { get; init; }

    public IReadOnlyList<MessageComponent>? Components { get; init; }

    /// <summary>Who may be pinged; null leaves Discord's default.</summary>
    public AllowedMentions? AllowedMentions { get; init; }

    /// <summary>For channel messages: with <see cref="EnforceNonce"/>, Discord drops a second message with the same nonce sent within minutes.</summary>
    public string? Nonce { get; init; }

    public bool? EnforceNonce { get; init; }
}

/// <summary>Which mentions in the content ping: here, only the users listed.</summary>
public sealed record AllowedMentions(IReadOnlyList<string> Parse, IReadOnlyList<string>? Users = null);

/// <summary>An entry of payload_json.attachments: <c>id</c> is the n of the multipart part files[n].</summary>
public sealed record AttachmentReference(string Id, string Filename, string? Description = null);
