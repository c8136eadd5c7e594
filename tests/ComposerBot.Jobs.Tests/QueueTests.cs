using System.Diagnostics.Metrics;
using System.Globalization;
using ComposerBot.Composition;
using ComposerBot.Composition.Prompts;
using ComposerBot.Jobs.Publishing;
using ComposerBot.Music.LeadSheets;
using ComposerBot.TestSupport;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ComposerBot.Jobs.Tests;

/// <summary>The queue end to end in one process: real storage, a real worker, the real compose pipeline.</summary>
[Collection(QueueGroup.Name)]
public sealed class QueueTests(PostgresFixture postgres) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string? Storage(string kind) => kind == "postgresql" ? postgres.NewDatabase() : null;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task A_request_is_composed_and_published_once_with_its_steps_in_order(string storage)
    {
        await using var queue = await JobsHarness.StartAsync(_dir.Path, Storage(storage));
        var measured = new List<(string Instrument, double Value, string? Tag)>();
        using var listener = Listen(queue, measured);

        // Long enough that rendering outlasts the coalescing interval (its samples load while the melody is written).
        var id = await queue.SubmitAsync(new JobOrder(new TrackOptions { Prompt = "calm piano 40 s", Seed = 3 }) { Format = "ogg" });
        var done = await queue.WaitPublishedAsync(id);

        Assert.Equal(JobState.Succeeded, done.State);
        Assert.Equal(1, done.Attempts);
        var outcome = Assert.Single(queue.Publisher.For(id));
        Assert.Equal(JobState.Succeeded, outcome.State);
        Assert.Equal(done.ReceiptId, outcome.ReceiptId);
        Assert.Equal(["audio", "midi", "piano_roll", "receipt"], outcome.Files.Keys.Order());
        Assert.Equal(40, ExternalTools.DurationSeconds(outcome.Files["audio"]), 1.5);
        Assert.Contains(done.ReceiptId!, await File.ReadAllTextAsync(outcome.Files["receipt"]));

        var steps = queue.Publisher.Progress.Where(p => p.Id == id).Select(p => p.Progress.Phase).ToList();
        Assert.True(steps.SequenceEqual(steps.Order()), string.Join(", ", steps));
        // Reports are coalesced (at most one per 250 ms), so a fast step may be skipped; these take longer.
        Assert.Superset(new HashSet<JobPhase> { JobPhase.Rendering, JobPhase.Encoding, JobPhase.Posting }, steps.ToHashSet());

        listener.RecordObservableInstruments();
        Assert.Contains(measured, m => m is ("composerbot.jobs.queued", 1, _));
        Assert.Contains(measured, m => m is ("composerbot.jobs.finished", 1, "succeeded"));
        Assert.Contains(measured, m => m is { Instrument: "composerbot.jobs.phase.duration", Tag: "rendering" } && m.Value > 0);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Fifty_concurrent_requests_from_ten_users_respect_every_limit(string storage)
    {
        var limits = new Dictionary<string, string?>
        {
            ["Jobs:Limits:PerUserConcurrent"] = "2",
            ["Jobs:Limits:PerGuildQueued"] = "8",
            ["Jobs:Limits:GlobalQueued"] = "15",
        };
        await using var queue = await JobsHarness.StartAsync(_dir.Path, Storage(storage), worker: false, limits);

        var requests = Enumerable.Range(0, 50).Select(i => (User: $"user{i % 10}", Guild: i % 10 < 5 ? "guildA" : "guildB")).ToList();
        var answers = await Task.WhenAll(requests.Select(r => Task.Run(() =>
            queue.Jobs.SubmitAsync(new JobOrder(new TrackOptions { Prompt = "lofi 30 s" }), JobsHarness.Origin(r.User, r.Guild), CancellationToken.None))));

        var taken = requests.Zip(answers).Where(p => p.Second.Accepted).ToList();
        Assert.Equal(15, taken.Count);
        Assert.All(taken.GroupBy(t => t.First.User), g => Assert.True(g.Count() <= 2, $"{g.Key} got {g.Count()}"));
        Assert.All(taken.GroupBy(t => t.First.Guild), g => Assert.True(g.Count() <= 8, $"{g.Key} got {g.Count()}"));
        Assert.All(answers.Where(a => !a.Accepted), a => Assert.Matches("the limit is|busy", a.Reason!));
        Assert.Equal(15, (await queue.Store.CountsAsync(CancellationToken.None)).Queued);
        Assert.Equal(Enumerable.Range(1, 15), (await Task.WhenAll(taken.Select(t => queue.Store.PositionAsync(t.Second.RequestId!, CancellationToken.None)))).Order());
    }

    [Fact]
    public async Task The_hourly_limit_lets_a_user_in_again_an_hour_after_the_first_request()
    {
        var clock = new ManualClock();
        await using var queue = await JobsHarness.StartAsync(_dir.Path, null, worker: false,
            new Dictionary<string, string?> { ["Jobs:Limits:PerUserPerHour"] = "3", ["Jobs:Limits:PerUserConcurrent"] = "10" },
            s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        var order = new JobOrder(new TrackOptions { Prompt = "rock 20 s" });
        for (var i = 0; i < 3; i++)
        {
            await queue.SubmitAsync(order);
            clock.Advance(TimeSpan.FromMinutes(10));
        }

        var refused = await queue.Jobs.SubmitAsync(order, JobsHarness.Origin(), CancellationToken.None);
        Assert.False(refused.Accepted);
        Assert.Equal("You have made 3 tracks in the last hour (the limit is 3); try again in 30 min.", refused.Reason);
        Assert.True((await queue.Jobs.SubmitAsync(order, JobsHarness.Origin("someone else"), CancellationToken.None)).Accepted);

        clock.Advance(TimeSpan.FromMinutes(31));
        Assert.True((await queue.Jobs.SubmitAsync(order, JobsHarness.Origin(), CancellationToken.None)).Accepted);
    }

    [Fact]
    public async Task Queued_requests_know_their_place_and_a_later_place_waits_longer()
    {
        await using var queue = await JobsHarness.StartAsync(_dir.Path, null, worker: false);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await queue.SubmitAsync(new JobOrder(new TrackOptions { Prompt = "folk 20 s", Seed = i }), JobsHarness.Origin($"u{i}")));
        }

        var views = await Task.WhenAll(ids.Select(id => queue.Jobs.ViewAsync(id, CancellationToken.None)));
        Assert.Equal([1, 2, 3], views.Select(v => v!.Position));
        Assert.True(views[0]!.EtaSeconds < views[1]!.EtaSeconds && views[1]!.EtaSeconds < views[2]!.EtaSeconds);
        Assert.All(views, v => Assert.Equal("queued", v!.State));
    }

    [Fact]
    public async Task A_request_that_cannot_be_made_fails_at_once_with_a_message_and_is_not_retried()
    {
        await using var queue = await JobsHarness.StartAsync(_dir.Path);
        var id = await queue.SubmitAsync(new JobOrder(new TrackOptions { Prompt = "folk 10 s", Feel = "polka-from-mars" }));

        var done = await queue.WaitPublishedAsync(id);
        Assert.Equal(JobState.Failed, done.State);
        Assert.Equal(1, done.Attempts);
        var outcome = Assert.Single(queue.Publisher.For(id));
        Assert.StartsWith("unknown feel 'polka-from-mars'", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_order_is_refused_before_it_is_queued()
    {
        await using var queue = await JobsHarness.StartAsync(_dir.Path, null, worker: false);
        var ex = await Assert.ThrowsAsync<Composition.Requests.CompositionException>(() =>
            queue.Jobs.SubmitAsync(new JobOrder(new TrackOptions { Prompt = "piano", Key = "H minor" }), JobsHarness.Origin(), CancellationToken.None));
        Assert.Contains("'H minor' is not a key", ex.Message);
        Assert.Equal(0, (await queue.Store.CountsAsync(CancellationToken.None)).Queued);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task A_passing_failure_is_retried_and_the_track_still_published_once(string storage)
    {
        var flaky = new FlakyGenerators();
        await using var queue = await JobsHarness.StartAsync(_dir.Path, Storage(storage), services: s => s.Replace(ServiceDescriptor.Singleton<IReadOnlyList<ILeadSheetGenerator>>(sp => flaky.Wrap(sp))));
        var id = await queue.SubmitAsync(new JobOrder(new TrackOptions { Prompt = "happy chiptune 6 s" }));

        var done = await queue.WaitPublishedAsync(id);
        Assert.Equal(JobState.Succeeded, done.State);
        Assert.Equal(2, done.Attempts);
        Assert.Equal(1, flaky.Failures);
        Assert.Single(queue.Publisher.For(id));
    }

    [Fact]
    public async Task Candidates_are_sampled_at_once_unless_the_workers_already_fill_every_core()
    {
        async Task<int> Concurrent(int workers, string? configured = null)
        {
            await using var queue = await JobsHarness.StartAsync(_dir.Path, settings: new Dictionary<string, string?>
            {
                ["Jobs:Workers"] = workers.ToString(CultureInfo.InvariantCulture),
                ["Composer:ConcurrentCandidates"] = configured,
            });
            return queue.Services.GetRequiredService<IOptions<Studio.ComposerOptions>>().Value.ResolvedConcurrentCandidates;
        }

        var cores = Environment.ProcessorCount;
        Assert.Equal(1, await Concurrent(cores));
        Assert.Equal(3, await Concurrent(cores, "3")); // what is configured is kept
        if (cores > 1)
        {
            Assert.Equal(2, await Concurrent(1));
        }
    }

    [Fact]
    public async Task A_request_no_job_can_be_queued_for_fails_at_once_and_does_not_hold_the_user_s_place()
    {
        await using var queue = await JobsHarness.StartAsync(_dir.Path, worker: false,
            settings: new Dictionary<string, string?> { ["Jobs:Limits:PerUserConcurrent"] = "1" },
            services: s => s.Replace(ServiceDescriptor.Singleton<IBackgroundJobClient>(sp => new NoSchedulingClient(new BackgroundJobClient(sp.GetRequiredService<JobStorage>()), refuseAll: true))));
        var order = new JobOrder(new TrackOptions { Prompt = "folk 10 s" });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => queue.Jobs.SubmitAsync(order, JobsHarness.Origin(), CancellationToken.None));
        Assert.Equal("the storage is gone", error.Message);
        var counts = await queue.Store.CountsAsync(CancellationToken.None);
        Assert.Equal((0, 1), (counts.Queued, counts.Failed));

        // Not left waiting: the user's one place is free for the next try.
        await Assert.ThrowsAsync<InvalidOperationException>(() => queue.Jobs.SubmitAsync(order, JobsHarness.Origin(), CancellationToken.None));
    }

    [Fact]
    public async Task A_retry_that_cannot_be_queued_fails_the_request_with_a_message_instead_of_leaving_it_waiting()
    {
        var flaky = new FlakyGenerators();
        await using var queue = await JobsHarness.StartAsync(_dir.Path, services: s => s
            .Replace(ServiceDescriptor.Singleton<IReadOnlyList<ILeadSheetGenerator>>(sp => flaky.Wrap(sp)))
            .Replace(ServiceDescriptor.Singleton<IBackgroundJobClient>(sp => new NoSchedulingClient(new BackgroundJobClient(sp.GetRequiredService<JobStorage>())))));
        var id = await queue.SubmitAsync(new JobOrder(new TrackOptions { Prompt = "happy chiptune 6 s" }));

        var done = await queue.WaitPublishedAsync(id);
        Assert.Equal(JobState.Failed, done.State);
        Assert.Equal(1, done.Attempts);
        var outcome = Assert.Single(queue.Publisher.For(id));
        Assert.Contains("no retry could be queued", outcome.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Cancelling_a_running_request_stops_it_and_tells_the_user_once(string storage)
    {
        await using var queue = await JobsHarness.StartAsync(_dir.Path, Storage(storage));
        var id = await queue.SubmitAsync(new JobOrder(new TrackOptions { Prompt = "ambient 3 min" }) { Format = "ogg" });
        await queue.WaitForAsync(id, JobState.Running, JobPhase.Rendering);

        Assert.False(await queue.Jobs.CancelAsync(id, "not the owner", CancellationToken.None));
        Assert.True(await queue.Jobs.CancelAsync(id, "u1", CancellationToken.None));

        var done = await queue.WaitPublishedAsync(id, 30);
        Assert.Equal(JobState.Cancelled, done.State);
        Assert.Equal("Cancelled.", Assert.Single(queue.Publisher.For(id)).Message);

        // The worker is free again at once: the next request does not wait for the cancelled one to finish.
        var next = await queue.SubmitAsync(new JobOrder(new TrackOptions { Prompt = "piano 4 s" }));
        Assert.Equal(JobState.Succeeded, (await queue.WaitPublishedAsync(next, 30)).State);
        Assert.Equal(JobState.Cancelled, (await queue.Store.GetAsync(id, CancellationToken.None))!.State);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Cancelling_a_queued_request_takes_it_out_of_the_queue(string storage)
    {
        await using var queue = await JobsHarness.StartAsync(_dir.Path, Storage(storage), worker: false);
        var first = await queue.SubmitAsync(new JobOrder(new TrackOptions { Prompt = "rock 20 s" }), JobsHarness.Origin("a"));
        var second = await queue.SubmitAsync(new JobOrder(new TrackOptions { Prompt = "rock 20 s" }), JobsHarness.Origin("b"));

        Assert.True(await queue.Jobs.CancelAsync(first, "a", CancellationToken.None));
        Assert.False(await queue.Jobs.CancelAsync(first, "a", CancellationToken.None));
        Assert.Equal("cancelled", (await queue.Jobs.ViewAsync(first, CancellationToken.None))!.State);
        Assert.Equal(1, await queue.Store.PositionAsync(second, CancellationToken.None));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task A_worker_that_stops_mid_job_hands_the_request_back_and_the_next_worker_publishes_it_once(string storage)
    {
        var settings = new Dictionary<string, string?> { ["Jobs:ShutdownTimeout"] = "00:00:00.200" };
        var database = Storage(storage);
        string id;
        await using (var first = await JobsHarness.StartAsync(_dir.Path, database, true, settings))
        {
            id = await first.SubmitAsync(new JobOrder(new TrackOptions { Prompt = "ambient 3 min" }) { Format = "ogg" });
            await first.WaitForAsync(id, JobState.Running, JobPhase.Rendering);
            await first.StopWorkersAsync();
            var handedBack = await first.Store.GetAsync(id, CancellationToken.None);
            Assert.Equal(JobState.Queued, handedBack!.State);
            Assert.Empty(first.Publisher.For(id));
        }

        await using var second = await JobsHarness.StartAsync(_dir.Path, database, true, settings);
        var done = await second.WaitPublishedAsync(id, 120);
        Assert.True(done.State == JobState.Succeeded, $"{done.State}: {done.Error}");
        Assert.Equal(2, done.Attempts);
        Assert.Single(second.Publisher.For(id));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Health_reports_the_storage_the_queues_and_each_live_worker_with_its_device(string storage)
    {
        var database = Storage(storage);
        await using var idle = await JobsHarness.StartAsync(_dir.Path, database, worker: false);
        var none = await idle.Services.GetRequiredService<QueueMonitor>().HealthAsync(CancellationToken.None);
        Assert.Equal(("degraded", storage, true), (none.Status, none.Storage, none.StorageReachable));
        Assert.Empty(none.Workers);

        await using var queue = await JobsHarness.StartAsync(_dir.Path, database, true, new Dictionary<string, string?> { ["Jobs:Workers"] = "2" });
        var monitor = queue.Services.GetRequiredService<QueueMonitor>();
        var health = await monitor.HealthAsync(CancellationToken.None);
        for (var i = 0; i < 100 && health.Workers.Count == 0; i++)
        {
            // A new server announces itself a moment after it starts.
            await Task.Delay(100);
            health = await monitor.HealthAsync(CancellationToken.None);
        }

        Assert.Equal("healthy", health.Status);
        var worker = Assert.Single(health.Workers);
        Assert.Equal(("cpu", 2), (worker.Device, worker.Workers));
        Assert.Equal(["compose", "publish"], worker.Queues.Order());
        Assert.Equal([JobQueues.Compose, JobQueues.Publish], health.QueueDepth.Keys.Order());
    }

    private static MeterListener Listen(JobsHarness queue, List<(string, double, string?)> measured)
    {
        var factory = queue.Services.GetRequiredService<IMeterFactory>();
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Meter.Name == JobMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? tag = tags.Length > 0 ? tags[0].Value?.ToString() : null;
            lock (measured)
            {
                measured.Add((instrument.Name, value, tag));
            }
        }

        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.Start();
        return listener;
    }

    /// <summary>The real generators, the first call of which fails as a passing fault (an I/O error) would.</summary>
    /// <summary>A job client whose storage refuses delayed jobs, or every job (as a storage failing at that moment would).</summary>
    private sealed class NoSchedulingClient(IBackgroundJobClient inner, bool refuseAll = false) : IBackgroundJobClient
    {
        public string Create(Hangfire.Common.Job job, IState state) =>
            refuseAll || state is ScheduledState ? throw new InvalidOperationException("the storage is gone") : inner.Create(job, state);

        public bool ChangeState(string jobId, IState state, string expectedState) => inner.ChangeState(jobId, state, expectedState);
    }

    private sealed class FlakyGenerators
    {
        private int _calls;

        public int Failures { get; private set; }

        public IReadOnlyList<ILeadSheetGenerator> Wrap(IServiceProvider services)
        {
            var store = services.GetRequiredService<Studio.ModelStore>();
            return [new Flaky(this, new Generation.NGram.NGramComposer(store.NGram, store.NGramSha256))];
        }

        private sealed class Flaky(FlakyGenerators owner, ILeadSheetGenerator inner) : ILeadSheetGenerator
        {
            public string Name => inner.Name;

            public string ModelId => inner.ModelId;

            public LeadSheet Generate(LeadSheetSpec spec, CancellationToken cancellationToken = default)
            {
                if (Interlocked.Increment(ref owner._calls) == 1)
                {
                    owner.Failures++;
                    throw new IOException("the disk hiccupped");
                }

                return inner.Generate(spec, cancellationToken);
            }
        }
    }
}
