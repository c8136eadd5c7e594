using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using ComposerBot.Composition.Prompts;
using ComposerBot.Jobs;
using ComposerBot.Jobs.Publishing;
using ComposerBot.Jobs.Storage;
using ComposerBot.Rendering;
using ComposerBot.Studio;
using ComposerBot.TestSupport;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.States;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ComposerBot.Benchmarks;

/// <summary>
/// The job queue: (1) its overhead, the enqueue-to-start latency of a job that does nothing, on SQLite and on
/// a throwaway PostgreSQL server, at 1, 10 and 50 jobs/s, against one SQL round trip of the same storage as
/// the baseline; (2) the throughput of real compose jobs (60-second tracks) with 1 and 2 workers, against
/// composing the same tracks directly, one after another, in the same run, and two workers over a minute's
/// worth of tracks (60), where the batch's first and last seconds weigh less.
/// </summary>
internal static class QueueBenchmark
{
    private const string BenchQueue = "bench";

    /// <summary>The tracks of the sustained run: a minute's worth at the target rate (issue 19: 60 a minute).</summary>
    private const int SustainedTracks = 60;

    public static async Task<string> RunAsync(int runs, string modelsDirectory, CancellationToken cancellationToken)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("### Job queue: enqueue-to-start latency of a no-op job (4 workers, idle queue otherwise)");
        text.AppendLine();
        text.AppendLine("| storage | rate | jobs | p50 | p95 | baseline: one `SELECT 1` round trip | p50 / baseline |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
        var p50s = new Dictionary<string, double>();
        using (var postgres = PostgresServer.Start())
        {
            foreach (var storage in new[] { "sqlite", "postgresql" })
            {
                foreach (var rate in new[] { 1, 10, 50 })
                {
                    using var dir = new TempDirectory();
                    var (latencies, roundTrip) = await OverheadAsync(dir.Path, storage == "postgresql" ? postgres.CreateDatabase() : null, rate, Math.Max(20, rate * 5), cancellationToken);
                    var p50 = Measure.Median(latencies);
                    if (rate == 1)
                    {
                        p50s[storage] = p50;
                    }

                    text.AppendLine(inv, $"| {storage} | {rate}/s | {latencies.Count} | {p50 * 1000:0.0} ms | {Measure.Percentile(latencies, 0.95) * 1000:0.0} ms | {roundTrip * 1e6:0} µs | {p50 / roundTrip:0}x |");
                }
            }
        }

        text.AppendLine();
        text.AppendLine(inv, $"Targets on an idle queue (1 job/s): p50 ≤ 100 ms on SQLite ({Verdict(p50s["sqlite"] <= 0.100)}: {p50s["sqlite"] * 1000:0} ms), ≤ 50 ms on PostgreSQL ({Verdict(p50s["postgresql"] <= 0.050)}: {p50s["postgresql"] * 1000:0} ms). SQLite polls every 100 ms (Jobs:PollInterval); PostgreSQL is told of new jobs (LISTEN/NOTIFY).");
        text.AppendLine();
        text.Append(await ThroughputAsync(runs, modelsDirectory, cancellationToken));
        return text.ToString();
    }

    private static string Verdict(bool met) => met ? "met" : "missed";

    /// <summary>Enqueues no-op jobs at a steady rate and records how long each waited before it started.</summary>
    private static async Task<(List<double> Latencies, double RoundTrip)> OverheadAsync(string data, string? postgres, int rate, int count, CancellationToken cancellationToken)
    {
        await using var services = Services(data, postgres, null);
        var storage = services.GetRequiredService<JobStorage>();
        var store = services.GetRequiredService<RequestStore>();
        await store.InitializeAsync(cancellationToken);
        var recorder = services.GetRequiredService<StartRecorder>();
        using var server = new BackgroundJobServer(new BackgroundJobServerOptions
        {
            WorkerCount = 4,
            Queues = [BenchQueue],
            Activator = new AspNetCoreJobActivator(services.GetRequiredService<IServiceScopeFactory>()),
            SchedulePollingInterval = TimeSpan.FromSeconds(1),
        }, storage);
        var client = services.GetRequiredService<IBackgroundJobClient>();

        // Warm-up: the first jobs pay for JIT and connection pools.
        for (var i = 0; i < 5; i++)
        {
            client.Create<NoOpJob>(j => j.Run(Stopwatch.GetTimestamp()), new EnqueuedState(BenchQueue));
        }

        await recorder.WaitForAsync(5, cancellationToken);
        recorder.Clear();

        var interval = TimeSpan.FromSeconds(1.0 / rate);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var due = start + (long)(i * interval.TotalSeconds * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            client.Create<NoOpJob>(j => j.Run(Stopwatch.GetTimestamp()), new EnqueuedState(BenchQueue));
        }

        var latencies = await recorder.WaitForAsync(count, cancellationToken);
        var roundTrip = await Measure.MedianSecondsAsync(50, () => store.PingAsync(cancellationToken));
        server.SendStop();
        await server.WaitForShutdownAsync(cancellationToken);
        return (latencies, roundTrip);
    }

    /// <summary>Real 60-second tracks through the queue with 1 and 2 workers, and composed directly.</summary>
    private static async Task<string> ThroughputAsync(int runs, string modelsDirectory, CancellationToken cancellationToken)
    {
        var count = Math.Max(4, runs * 2);
        var orders = Enumerable.Range(0, Math.Max(count, SustainedTracks)).Select(i => new JobOrder(new TrackOptions { Prompt = "upbeat rock 60 s", Seed = i + 1 })).ToList();
        var inv = CultureInfo.InvariantCulture;

        double direct, directCpu;
        string directCollector;
        using (var dir = new TempDirectory())
        {
            await using var services = Services(dir.Path, null, modelsDirectory);
            var composer = services.GetRequiredService<TrackComposer>();
            await composer.ComposeAsync(new ComposeOrder(orders[0].Track.Read().Request, null, dir.Path, "warmup", Rendering.Encoding.AudioFormat.Mp3), null, cancellationToken);
            var cpu = Measure.ProcessorSeconds();
            var collector = CollectorUse.Start();
            var watch = Stopwatch.StartNew();
            foreach (var (order, i) in orders.Take(count).Select((o, i) => (o, i)))
            {
                await composer.ComposeAsync(new ComposeOrder(order.Track.Read().Request, null, dir.Path, $"d{i}", Rendering.Encoding.AudioFormat.Mp3), null, cancellationToken);
            }

            direct = watch.Elapsed.TotalSeconds;
            directCpu = (Measure.ProcessorSeconds() - cpu) / count;
            directCollector = collector.PerTrack(count);
        }

        var text = new StringBuilder();
        text.AppendLine(inv, $"### Job queue: throughput of real compose jobs ({count} tracks of 60 s, and {SustainedTracks} with two workers; SQLite queue, one process)");
        text.AppendLine();
        text.AppendLine("| how | wall time | tracks per minute | vs composing directly | processor time per track (process and ffmpeg) | per track: allocated, gen-2 collections, GC pauses |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- |");
        text.AppendLine(inv, $"| baseline: composed directly, one after another | {direct:0.0} s | {count / direct * 60:0.0} | 1.00x | {directCpu:0.00} s | {directCollector} |");
        // A short batch starts and ends with a core idle (a worker waiting for its first poll, the last track
        // alone): the minute's worth of tracks shows the rate two busy workers keep up.
        var sustained = 0.0;
        foreach (var (workers, tracks) in new[] { (1, count), (2, count), (2, SustainedTracks) })
        {
            using var dir = new TempDirectory();
            await using var services = Services(dir.Path, null, modelsDirectory, workers);
            foreach (var hosted in services.GetServices<IHostedService>())
            {
                await hosted.StartAsync(cancellationToken);
            }

            var jobs = services.GetRequiredService<JobClient>();
            var store = services.GetRequiredService<RequestStore>();
            var warm = await jobs.SubmitAsync(orders[0], new JobOrigin(LocalResultPublisher.Name, "warmup"), cancellationToken);
            await WaitPublishedAsync(store, [warm.RequestId!], cancellationToken);

            var cpu = Measure.ProcessorSeconds();
            var collector = CollectorUse.Start();
            var watch = Stopwatch.StartNew();
            var ids = new List<string>();
            foreach (var (order, i) in orders.Take(tracks).Select((o, i) => (o, i)))
            {
                ids.Add((await jobs.SubmitAsync(order, new JobOrigin(LocalResultPublisher.Name, $"user{i}"), cancellationToken)).RequestId!);
            }

            await WaitPublishedAsync(store, ids, cancellationToken);
            var took = watch.Elapsed.TotalSeconds;
            var perTrack = (Measure.ProcessorSeconds() - cpu) / tracks;
            var how = $"queue, {workers} worker{(workers == 1 ? "" : "s")}{(tracks == count ? "" : $", {tracks} tracks (a minute's worth)")}";
            var speedup = tracks == count ? $"{direct / took:0.00}x" : $"{tracks / took / (count / direct):0.00}x (rate)";
            if (tracks == SustainedTracks && workers == 2)
            {
                sustained = tracks / took * 60;
            }

            text.AppendLine(inv, $"| {how} | {took:0.0} s | {tracks / took * 60:0.0} | {speedup} | {perTrack:0.00} s | {collector.PerTrack(tracks)} |");
            foreach (var hosted in services.GetServices<IHostedService>().Reverse())
            {
                await hosted.StopAsync(cancellationToken);
            }
        }

        text.AppendLine();
        text.AppendLine(inv, $"Target (issue 19): >= 60 tracks a minute with 2 workers ({Verdict(sustained >= 60)}: {sustained:0.0} over the minute's worth of tracks).");
        text.AppendLine();
        text.AppendLine(inv, $"This machine has {Environment.ProcessorCount} cores; a second worker helps only as far as one track leaves cores idle (libtorch and the synthesizer already use more than one). With every core busy, the processor time per track bounds the throughput: {Environment.ProcessorCount} cores x 60 s / that time.");
        return text.ToString();
    }

    private static async Task WaitPublishedAsync(RequestStore store, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        foreach (var id in ids)
        {
            while (await store.GetAsync(id, cancellationToken) is not { PublishedUtc: not null })
            {
                await Task.Delay(20, cancellationToken);
            }
        }
    }

    private static ServiceProvider Services(string data, string? postgres, string? models, int workers = 1)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Jobs:DataDirectory"] = data,
            ["Jobs:Workers"] = workers.ToString(CultureInfo.InvariantCulture),
            ["Jobs:Limits:PerUserConcurrent"] = "100",
            ["Jobs:Limits:GlobalQueued"] = "10000",
            ["ConnectionStrings:Jobs"] = postgres,
            ["Models:Directory"] = models ?? "models",
            ["Rendering:SoundFont"] = ExternalTools.SystemSoundFont,
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .AddComposerJobs(configuration)
            .AddSingleton<StartRecorder>()
            .AddTransient<NoOpJob>();
        if (models is not null)
        {
            services.AddComposerRendering(configuration).AddComposerStudio(configuration).AddComposerWorker();
        }

        return services.BuildServiceProvider();
    }

    /// <summary>A job that only notes how long after its enqueueing it started.</summary>
    public sealed class NoOpJob(StartRecorder recorder)
    {
        public void Run(long enqueuedTimestamp) => recorder.Add(Stopwatch.GetElapsedTime(enqueuedTimestamp).TotalSeconds);
    }

    public sealed class StartRecorder
    {
        private readonly ConcurrentQueue<double> _latencies = new();

        public void Add(double seconds) => _latencies.Enqueue(seconds);

        public void Clear() => _latencies.Clear();

        public async Task<List<double>> WaitForAsync(int count, CancellationToken cancellationToken)
        {
            var deadline = Stopwatch.StartNew();
            while (_latencies.Count < count && deadline.Elapsed < TimeSpan.FromMinutes(2))
            {
                await Task.Delay(10, cancellationToken);
            }

            return [.. _latencies];
        }
    }
}

/// <summary>What the garbage collector did over a stretch of tracks (this process: the workers run in it).</summary>
internal readonly record struct CollectorUse(long Allocated, int Gen2, TimeSpan Paused)
{
    public static CollectorUse Start() => new(GC.GetTotalAllocatedBytes(), GC.CollectionCount(2), GC.GetTotalPauseDuration());

    /// <summary>Since <see cref="Start"/>, per track: megabytes allocated, gen-2 collections, milliseconds the collector paused the process.</summary>
    public string PerTrack(int tracks) => string.Create(
        CultureInfo.InvariantCulture,
        $"{(GC.GetTotalAllocatedBytes() - Allocated) / 1e6 / tracks:0} MB, {(GC.CollectionCount(2) - Gen2) / (double)tracks:0.0}, {(GC.GetTotalPauseDuration() - Paused).TotalMilliseconds / tracks:0} ms");
}
