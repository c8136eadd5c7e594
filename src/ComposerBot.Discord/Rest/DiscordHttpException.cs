namespace ComposerBot.Discord.Rest;

/// <summary>Discord refused a request; carries the HTTP status and Discord's JSON error code.</summary>
public sealed class DiscordHttpException : Exception
{
    public DiscordHttpException(int status, int? code, string message)
        : base($"Discord answered {status}{(code is { } c ? $" (code {c})" : "")}: {message}")
    {
        Status = status;
        Code = code;
    }

    public DiscordHttpException()
    {
    }

    public DiscordHttpException(string message)
        : base(message)
    {
    }

    public DiscordHttpException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int Status { get; }

    /// <summary>Discord's error code: 10062 unknown interaction, 40060 already acknowledged, 40005 too large...</summary>
    public int? Code { get; }

    public const int UnknownInteraction = 10062;
    public const int UnknownMessage = 10008;
    public const int UnknownWebhook = 10015;
    public const int InvalidWebhookToken = 50027;
    public const int AlreadyAcknowledged = 40060;
    public const int RequestEntityTooLarge = 40005;
}
