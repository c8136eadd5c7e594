namespace ComposerBot.Jobs;

/// <summary>The answer to a request: taken (with its id and place in the queue) or refused, with why and when to try again.</summary>
public sealed record Admission(bool Accepted, string? Reason, TimeSpan? RetryAfter)
{
    public string? RequestId { get; init; }

    public int Position { get; init; }

    public static Admission Accept() => new(true, null, null);

    public static Admission Refuse(string reason, TimeSpan? retryAfter = null) => new(false, reason, retryAfter);
}
