using Hangfire;
using Hangfire.States;

namespace ComposerBot.Jobs;

/// <summary>The Hangfire calls the queue makes: start a request, retry it later, publish it, stop it.</summary>
public sealed class JobScheduler(IBackgroundJobClient client)
{
    public string EnqueueCompose(string requestId) =>
        client.Create<ComposeJob>(job => job.RunAsync(requestId, CancellationToken.None), new EnqueuedState(JobQueues.Compose));

    public string ScheduleCompose(string requestId, TimeSpan delay) =>
        client.Create<ComposeJob>(job => job.RunAsync(requestId, CancellationToken.None), new ScheduledState(delay));

    public string EnqueuePublish(string requestId) =>
        client.Create<PublishJob>(job => job.RunAsync(requestId, CancellationToken.None), new EnqueuedState(JobQueues.Publish));

    /// <summary>Deletes the background job; a worker running it sees its cancellation token fire.</summary>
    public bool Delete(string backgroundJobId) => client.Delete(backgroundJobId);
}
