namespace ComposerBot.Discord.Models;

/// <summary><c>GET /gateway/bot</c>: where to connect, how many shards, and the Identify budget.</summary>
public sealed record GatewayBot(string Url, int Shards, SessionStartLimit SessionStartLimit);

public sealed record SessionStartLimit(int Total, int Remaining, long ResetAfter, int MaxConcurrency);

/// <summary><c>GET /applications/@me</c>.</summary>
public sealed record DiscordApplication(string Id, string Name);

/// <summary>Discord's error body: <c>{code, message}</c>, and for 429s <c>retry_after</c> and <c>global</c>.</summary>
public sealed record DiscordError(int? Code, string? Message, double? RetryAfter, bool? Global);
