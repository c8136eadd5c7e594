namespace ComposerBot.Discord.Gateway;

/// <summary>The gateway closed with a code that must not be retried (4004 auth failed, 4010-4014).</summary>
public sealed class GatewayClosedException : Exception
{
    public GatewayClosedException(int code, string? reason)
        : base($"the gateway closed the connection with code {code} ({reason}); not reconnecting.")
    {
        Code = code;
    }

    public GatewayClosedException()
    {
    }

    public GatewayClosedException(string message)
        : base(message)
    {
    }

    public GatewayClosedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int Code { get; }
}
