namespace ComposerBot.Discord.Modules;

/// <summary>A file the user attached to a command option (resolved from the interaction's data).</summary>
public sealed record Attachment(string Id, string Filename, long Size, string Url, string? ContentType);
