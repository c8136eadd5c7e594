namespace ComposerBot.Jobs.Publishing;

/// <summary>
/// Tells the person who asked: progress while the track is made, then the outcome. One publisher per
/// channel (local for the CLI and the web, discord for the bot); the job picks it by the request's origin.
/// <see cref="PublishAsync"/> is called once per request, guarded by the published marker; a publisher
/// that can be told twice after a crash in the middle of publishing gets the request id as its
/// idempotency key.
/// </summary>
public interface IResultPublisher
{
    string Channel { get; }

    Task ReportProgressAsync(JobRequest request, JobProgress progress, CancellationToken cancellationToken);

    Task PublishAsync(JobRequest request, JobOutcome outcome, CancellationToken cancellationToken);
}

/// <summary>Where a request is: its place in the queue, or the step being done and how far.</summary>
public sealed record JobProgress(JobPhase Phase, double Fraction, int Position);

/// <summary>How a request ended, for the user: the files (full paths) and receipt, or a message.</summary>
public sealed record JobOutcome(JobState State, string? Message, string? ReceiptId, IReadOnlyDictionary<string, string> Files)
{
    public static JobOutcome Of(JobRequest request, ArtifactStore artifacts) => new(
        request.State,
        request.State switch
        {
            JobState.Failed => request.Error ?? "The track could not be made.",
            JobState.Cancelled => "Cancelled.",
            _ => null,
        },
        request.ReceiptId,
        request.Files.Keys.Select(k => (k, artifacts.PathOf(request, k))).Where(p => p.Item2 is not null).ToDictionary(p => p.k, p => p.Item2!));
}
