namespace ComposerBot.Discord.Rest;

/// <summary>A file to attach, held in memory so that a retried request can send it again.</summary>
public sealed record FileUpload(string FileName, ReadOnlyMemory<byte> Content, string? Description = null);
