using System.Globalization;
using ComposerBot.Discord.Models;

namespace ComposerBot.Discord.Rest;

/// <summary>A file to attach, held in memory so that a retried request can send it again.</summary>
public sealed record FileUpload(string FileName, ReadOnlyMemory<byte> Content, string? Description = null)
{
    /// <summary>
    /// The payload's <c>attachments</c> for files sent as the multipart parts <c>files[0]</c>, <c>files[1]</c>...:
    /// each id is the part's index, as a snowflake-typed string (Discord's spec).
    /// </summary>
    public static IReadOnlyList<AttachmentReference> References(IReadOnlyList<FileUpload> files) =>
        [.. files.Select((f, i) => new AttachmentReference(i.ToString(CultureInfo.InvariantCulture), f.FileName, f.Description))];
}
