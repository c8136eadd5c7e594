namespace ComposerBot.Discord.Gateway;

/// <summary>How to reach the gateway and behave on it. Tests shrink the timings.</summary>
public sealed record GatewayOptions
{
    /// <summary>The url from GET /gateway/bot; <c>?v=10&amp;encoding=json</c> is added.</summary>
    public required Uri Url { get; init; }

    public required string Token { get; init; }

    /// <summary>Slash commands need no intents: INTERACTION_CREATE is under none.</summary>
    public int Intents { get; init; }

    public int ShardId { get; init; }

    public int ShardCount { get; init; } = 1;

    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Discord allows 120 sends per 60 s per connection.</summary>
    public int SendLimit { get; init; } = 120;

    public TimeSpan SendWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Shared by all shards of a bot: spaces their Identify sends as Discord requires. None for one shard.</summary>
    public IdentifyLimiter? IdentifyLimiter { get; init; }

    /// <summary>How long the WebSocket handshake may take before the attempt counts as failed and is retried.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>After op 9 with d=false, wait this long (Discord says 1-5 s) before identifying again.</summary>
    public TimeSpan InvalidSessionDelay { get; init; } = TimeSpan.FromSeconds(2);
}
