using Microsoft.Extensions.Logging;

namespace ComposerBot.Jobs;

/// <summary>The queue's log messages, structured (request id, user, channel) and source-generated.</summary>
internal static partial class JobsLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Queued {RequestId} for {Channel} user {UserId} as job {JobId}")]
    public static partial void Queued(this ILogger logger, string requestId, string channel, string userId, string jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused a request of {Channel} user {UserId}: {Reason}")]
    public static partial void Refused(this ILogger logger, string channel, string userId, string? reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {RequestId} was stored but no job could be queued for it; it fails")]
    public static partial void NotQueued(this ILogger logger, Exception exception, string requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cancelled {RequestId} at the request of user {UserId}")]
    public static partial void Cancelled(this ILogger logger, string requestId, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Composing {RequestId} for {Channel} user {UserId} (attempt {Attempt})")]
    public static partial void Composing(this ILogger logger, string requestId, string channel, string userId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Composed {RequestId}: receipt {ReceiptId}, {Seconds:0.0} s of audio")]
    public static partial void Composed(this ILogger logger, string requestId, string receiptId, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} cannot be made: {Reason}")]
    public static partial void BadRequest(this ILogger logger, string requestId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} stopped: it was cancelled")]
    public static partial void StoppedCancelled(this ILogger logger, string requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker stopping: {RequestId} goes back to the queue")]
    public static partial void Requeued(this ILogger logger, string requestId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {RequestId} failed after {Attempts} attempts")]
    public static partial void GaveUp(this ILogger logger, Exception exception, string requestId, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "The retry of {RequestId} could not be queued; the request fails")]
    public static partial void RetryNotQueued(this ILogger logger, Exception exception, string requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attempt {Attempt} of {RequestId} failed; retrying in {Delay}")]
    public static partial void Retrying(this ILogger logger, Exception exception, int attempt, string requestId, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report the progress of {RequestId}")]
    public static partial void ProgressFailed(this ILogger logger, Exception exception, string requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{RequestId} is already published or being published")]
    public static partial void AlreadyPublished(this ILogger logger, string requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Published {RequestId} ({State}) to {Channel}")]
    public static partial void Published(this ILogger logger, string requestId, JobState state, string channel);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Worker} started: {Workers} worker(s) on {Queues}, composing on {Device}")]
    public static partial void WorkerStarted(this ILogger logger, string worker, int workers, string queues, string device);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Worker} stopping: running jobs finish or go back to the queue")]
    public static partial void WorkerStopping(this ILogger logger, string worker);
}
