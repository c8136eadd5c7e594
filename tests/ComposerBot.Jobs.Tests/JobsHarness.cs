using System.Collections.Concurrent;
using ComposerBot.Jobs.Publishing;
using ComposerBot.Jobs.Storage;
using ComposerBot.Rendering;
using ComposerBot.Studio;
using ComposerBot.TestSupport;
using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ComposerBot.Jobs.Tests;

/// <summary>
/// One process's share of the queue, as serve or worker builds it: the real storage (SQLite files in a
/// temporary directory, or a PostgreSQL database), the real compose pipeline with the shipped models
/// (the n-gram generator, for speed) and, when asked, a running worker. Requests from the "test" channel
/// are published to <see cref="Publisher"/>.
/// </summary>
public sealed class JobsHarness : IAsyncDisposable
{
    private readonly List<IHostedService> _hosted = [];

    private JobsHarness(ServiceProvider services) => Services = services;

    public ServiceProvider Services { get; }

    public JobClient Jobs => Services.GetRequiredService<JobClient>();

    public RequestStore Store => Services.GetRequiredService<RequestStore>();

    public RecordingPublisher Publisher => Services.GetRequiredService<RecordingPublisher>();

    public static async Task<JobsHarness> StartAsync(string dataDirectory, string? postgres = null, bool worker = true, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Jobs:DataDirectory"] = dataDirectory,
            ["Jobs:PollInterval"] = "00:00:00.050",
            ["Jobs:RetryDelay"] = "00:00:00.200",
            ["Composer:Generator"] = "ngram",
            ["Models:Directory"] = RepositoryPaths.Models,
            ["Rendering:SoundFont"] = ExternalTools.SystemSoundFont,
            ["ConnectionStrings:Jobs"] = postgres,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var collection = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .AddComposerRendering(configuration)
            .AddComposerStudio(configuration)
            .AddComposerJobs(configuration)
            .AddSingleton<RecordingPublisher>()
            .AddSingleton<IResultPublisher>(sp => sp.GetRequiredService<RecordingPublisher>());
        if (worker)
        {
            collection.AddComposerWorker();
        }

        services?.Invoke(collection);
        var harness = new JobsHarness(collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }));
        await harness.Store.InitializeAsync(CancellationToken.None);
        foreach (var hosted in harness.Services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
            harness._hosted.Add(hosted);
        }

        return harness;
    }

    public static JobOrigin Origin(string user = "u1", string? guild = null) => new(RecordingPublisher.Name, user) { GuildId = guild };

    /// <summary>Submits and insists that the request was taken.</summary>
    public async Task<string> SubmitAsync(JobOrder order, JobOrigin? origin = null)
    {
        var admission = await Jobs.SubmitAsync(order, origin ?? Origin(), CancellationToken.None);
        Assert.True(admission.Accepted, admission.Reason);
        return admission.RequestId!;
    }

    /// <summary>Waits (up to <paramref name="seconds"/>) until the request's outcome is published, and returns it.</summary>
    public async Task<JobRequest> WaitPublishedAsync(string id, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await Store.GetAsync(id, CancellationToken.None) is { PublishedUtc: not null } done)
            {
                return done;
            }

            await Task.Delay(50);
        }

        var last = await Store.GetAsync(id, CancellationToken.None);
        throw new TimeoutException($"{id} was not published in {seconds} s: {last?.State} {last?.Phase} attempts {last?.Attempts} error {last?.Error}; {HangfireState()}");
    }

    /// <summary>What Hangfire holds, for a timeout's message: its counts, its scheduled jobs and its failed jobs' errors.</summary>
    private string HangfireState()
    {
        try
        {
            var api = Services.GetRequiredService<JobStorage>().GetMonitoringApi();
            var stats = api.GetStatistics();
            var scheduled = api.ScheduledJobs(0, 5).Select(j => $"{j.Key} due {j.Value.EnqueueAt:HH:mm:ss.fff}");
            var failed = api.FailedJobs(0, 5).Select(j => $"{j.Key} {j.Value.ExceptionType}: {j.Value.ExceptionMessage}");
            return $"Hangfire at {DateTime.UtcNow:HH:mm:ss.fff}: enqueued {stats.Enqueued}, scheduled {stats.Scheduled} [{string.Join(", ", scheduled)}], " +
                $"processing {stats.Processing}, succeeded {stats.Succeeded}, failed {stats.Failed} [{string.Join(", ", failed)}], servers {stats.Servers}";
        }
        catch (Exception ex)
        {
            return $"Hangfire's state could not be read: {ex.Message}";
        }
    }

    /// <summary>Waits until the request reaches a state (and, if given, a step).</summary>
    public async Task WaitForAsync(string id, JobState state, JobPhase? phase = null, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await Store.GetAsync(id, CancellationToken.None) is { } r && r.State == state && (phase is null || r.Phase == phase))
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"{id} did not reach {state} {phase} in {seconds} s");
    }

    /// <summary>Stops the worker (as a shutdown would), leaving the services to inspect.</summary>
    public async Task StopWorkersAsync()
    {
        foreach (var hosted in Enumerable.Reverse(_hosted))
        {
            await hosted.StopAsync(CancellationToken.None);
        }

        _hosted.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await StopWorkersAsync();
        await Services.DisposeAsync();
    }
}

/// <summary>The "test" channel: records every progress report and every outcome it is handed.</summary>
public sealed class RecordingPublisher : IResultPublisher
{
    public const string Name = "test";

    public string Channel => Name;

    public ConcurrentQueue<(string Id, JobProgress Progress)> Progress { get; } = new();

    public ConcurrentQueue<(string Id, JobOutcome Outcome)> Outcomes { get; } = new();

    public Task ReportProgressAsync(JobRequest request, JobProgress progress, CancellationToken cancellationToken)
    {
        Progress.Enqueue((request.Id, progress));
        return Task.CompletedTask;
    }

    public Task PublishAsync(JobRequest request, JobOutcome outcome, CancellationToken cancellationToken)
    {
        Outcomes.Enqueue((request.Id, outcome));
        return Task.CompletedTask;
    }

    public IReadOnlyList<JobOutcome> For(string id) => [.. Outcomes.Where(o => o.Id == id).Select(o => o.Outcome)];
}
