using ComposerBot.Discord.Models;

namespace ComposerBot.Discord.Interactions;

/// <summary>
/// One received interaction and its clocks: the first response is due 3 s after <em>our</em> receipt
/// (not the snowflake's time, which clock skew makes unreliable), and the token lives 15 minutes. Exactly
/// one first response may be made: <see cref="TryAcknowledge"/> lets one caller win (defer or error, never both).
/// </summary>
public sealed class InteractionContext(Interaction interaction, DateTimeOffset receivedAt)
{
    public static readonly TimeSpan AckWindow = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(15);

    private int _acknowledged;

    public Interaction Interaction { get; } = interaction;

    public DateTimeOffset ReceivedAt { get; } = receivedAt;

    public DateTimeOffset AckDeadline => ReceivedAt + AckWindow;

    public DateTimeOffset TokenExpiresAt => ReceivedAt + TokenLifetime;

    public bool IsAcknowledged => Volatile.Read(ref _acknowledged) == 1;

    /// <summary>Claims the one first response; false when another path already answered.</summary>
    public bool TryAcknowledge() => Interlocked.CompareExchange(ref _acknowledged, 1, 0) == 0;

    public bool CanStillAcknowledge(DateTimeOffset now) => !IsAcknowledged && now < AckDeadline;

    /// <summary>Whether webhook edits and follow-ups still work; after this, post a channel message instead.</summary>
    public bool TokenAlive(DateTimeOffset now) => now < TokenExpiresAt;
}
