namespace ComposerBot.Discord.Interactions;

/// <summary>
/// A response that Discord would refuse, caught before sending: the 3 s window for the first response has
/// passed (Discord: 10062 Unknown interaction), the interaction was already acknowledged (40060), or the
/// 15-minute token is dead (50027 Invalid Webhook Token). <see cref="DiscordCode"/> names which.
/// </summary>
public sealed class InteractionExpiredException : Exception
{
    public InteractionExpiredException()
    {
    }

    public InteractionExpiredException(string message)
        : base(message)
    {
    }

    public InteractionExpiredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InteractionExpiredException(int discordCode, string message)
        : base(message) => DiscordCode = discordCode;

    public int DiscordCode { get; }
}
