namespace ComposerBot.Discord.Rest;

/// <summary>Where the REST API is and who we are. Tests point <see cref="BaseAddress"/> at a local stand-in.</summary>
public sealed record DiscordRestOptions
{
    public Uri BaseAddress { get; init; } = new("https://discord.com/api/v10/");

    /// <summary>The bot token; sent as <c>Authorization: Bot {token}</c>, never logged.</summary>
    public required string Token { get; init; }

    public string UserAgent { get; init; } = "DiscordBot (https://github.com/composerbot, 1.0)";

    /// <summary>How many times a request is retried after a 429 or a 5xx before giving up.</summary>
    public int MaxRetries { get; init; } = 5;
}
