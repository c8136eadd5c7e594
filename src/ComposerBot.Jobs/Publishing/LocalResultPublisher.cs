using ComposerBot.Jobs.Storage;

namespace ComposerBot.Jobs.Publishing;

/// <summary>
/// The CLI's and the web's channel: both read progress and outcome from the store, so publishing records
/// the delivery there (one row per outcome handed over: what the exactly-once tests count).
/// </summary>
public sealed class LocalResultPublisher(RequestStore store) : IResultPublisher
{
    public const string Name = "local";

    public string Channel => Name;

    public Task ReportProgressAsync(JobRequest request, JobProgress progress, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task PublishAsync(JobRequest request, JobOutcome outcome, CancellationToken cancellationToken) =>
        store.RecordDeliveryAsync(request.Id, Channel, RequestStore.Name(outcome.State), cancellationToken);
}
