namespace ComposerBot.Bot;

/// <summary>The bot's settings (configuration "Bot"; the token also from DISCORD_TOKEN).</summary>
public sealed class BotOptions
{
    public const string Section = "Bot";

    /// <summary>The fewest seconds between two progress edits of one message.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Where the web is reachable from Discord users, for links to tracks too large to attach.</summary>
    public string PublicUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>The attachment limit when an interaction does not say (Discord's default for bots).</summary>
    public long DefaultAttachmentLimit { get; set; } = 10 * 1024 * 1024;

    /// <summary>Kept back from the 15-minute token life: after this, results go to the channel instead.</summary>
    public TimeSpan TokenMargin { get; set; } = TimeSpan.FromSeconds(30);
}
