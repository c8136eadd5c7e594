namespace ComposerBot.Discord.Modules;

/// <summary>A file the user attached to a command option (resolved from the interaction's data).</summary>
public sealed record Attachment(string Id, string Filename, long Size, string Url, string? ContentType);

/// <summary>A channel the user picked for a command option (its id; Discord shows a channel picker).</summary>
public sealed record ChannelOption(string Id);
