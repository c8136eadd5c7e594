using ComposerBot.Jobs.Storage;
using Hangfire;
using Hangfire.AspNetCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ComposerBot.Jobs;

/// <summary>
/// The Hangfire server of this process as a hosted service. On stop it asks running jobs to stop and waits
/// up to <see cref="JobsOptions.ShutdownTimeout"/>: a job that finishes in time publishes; one that does not
/// goes back to the queue for another worker.
/// </summary>
public sealed class WorkerService(JobStorage storage, RequestStore store, IServiceScopeFactory scopes, WorkerIdentity identity, IOptions<JobsOptions> options, ILogger<WorkerService> logger) : IHostedService, IDisposable
{
    private BackgroundJobServer? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var o = options.Value;
        _server = new BackgroundJobServer(new BackgroundJobServerOptions
        {
            ServerName = identity.ServerName,
            WorkerCount = o.Workers,
            Queues = [.. o.QueueList],
            Activator = new AspNetCoreJobActivator(scopes),
            // Running jobs get ShutdownTimeout to finish; then their token fires and they have a few more
            // seconds to hand the request back to the queue before the threads are abandoned.
            StopTimeout = o.ShutdownTimeout,
            ShutdownTimeout = o.ShutdownTimeout + TimeSpan.FromSeconds(10),
            CancellationCheckInterval = TimeSpan.FromSeconds(1),
            SchedulePollingInterval = TimeSpan.FromSeconds(1),
            HeartbeatInterval = TimeSpan.FromSeconds(10),
        }, storage);
        logger.WorkerStarted(identity.Name, o.Workers, o.Queues, identity.Device);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is null)
        {
            return;
        }

        logger.WorkerStopping(identity.Name);
        _server.SendStop();
        await _server.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _server?.Dispose();
}
