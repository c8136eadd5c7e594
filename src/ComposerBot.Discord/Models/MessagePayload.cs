namespace ComposerBot.Discord.Models;

/// <summary>A message body (content, flags) with the attachments of the files sent beside it.</summary>
public sealed record MessagePayload
{
    public string? Content { get; init; }

    public int? Flags { get; init; }

    public IReadOnlyList<AttachmentReference>? Attachments { get; init; }
}

/// <summary>An entry of payload_json.attachments: <c>id</c> is the n of the multipart part files[n].</summary>
public sealed record AttachmentReference(int Id, string Filename, string? Description = null);
