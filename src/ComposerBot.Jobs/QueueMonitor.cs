using ComposerBot.Jobs.Storage;
using Hangfire;

namespace ComposerBot.Jobs;

/// <summary>The queue as operators see it: storage reachable, depth per queue, live workers and their devices.</summary>
public sealed class QueueMonitor(JobStorage storage, RequestStore store, TimeProvider time)
{
    /// <summary>A worker process counts as live when its heartbeat is younger than this.</summary>
    public static readonly TimeSpan LiveHeartbeat = TimeSpan.FromMinutes(1);

    public Task<IReadOnlyList<WorkerInfo>> WorkersAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = time.GetUtcNow().UtcDateTime;
        IReadOnlyList<WorkerInfo> servers = [.. storage.GetMonitoringApi().Servers()
            .Where(s => s.Heartbeat is { } beat && now - beat < LiveHeartbeat)
            .Select(s => new WorkerInfo(s.Name, WorkerIdentity.DeviceOf(s.Name), s.WorkersCount, [.. s.Queues], s.Heartbeat))];
        return Task.FromResult(servers);
    }

    public async Task<HealthReport> HealthAsync(CancellationToken cancellationToken)
    {
        var reachable = await store.PingAsync(cancellationToken).ConfigureAwait(false);
        if (!reachable)
        {
            return new HealthReport("unhealthy", store.Dialect, false, null, new Dictionary<string, long>(), []);
        }

        var counts = await store.CountsAsync(cancellationToken).ConfigureAwait(false);
        var api = storage.GetMonitoringApi();
        var depths = new Dictionary<string, long>
        {
            [JobQueues.Compose] = api.EnqueuedCount(JobQueues.Compose),
            [JobQueues.Publish] = api.EnqueuedCount(JobQueues.Publish),
        };
        var workers = await WorkersAsync(cancellationToken).ConfigureAwait(false);
        return new HealthReport(workers.Count > 0 ? "healthy" : "degraded", store.Dialect, true, counts, depths, workers);
    }
}

public sealed record WorkerInfo(string Name, string Device, int Workers, IReadOnlyList<string> Queues, DateTime? Heartbeat);

/// <summary>/healthz: "healthy", "degraded" (no live worker: requests wait) or "unhealthy" (the storage cannot be reached).</summary>
public sealed record HealthReport(string Status, string Storage, bool StorageReachable, QueueCounts? Requests, IReadOnlyDictionary<string, long> QueueDepth, IReadOnlyList<WorkerInfo> Workers);
