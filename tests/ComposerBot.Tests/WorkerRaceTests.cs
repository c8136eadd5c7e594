using ComposerBot.Composition.Prompts;
using ComposerBot.Jobs;
using ComposerBot.Jobs.Publishing;
using ComposerBot.Jobs.Storage;
using ComposerBot.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ComposerBot.Tests;

/// <summary>
/// The queue as deployed: PostgreSQL, and two `composerbot worker` processes, each on its own connections,
/// racing for the same requests while one of them is killed (SIGKILL, mid-job) and started again, five
/// times over. Every request must be published, and none twice.
/// </summary>
public sealed class WorkerRaceTests : IDisposable
{
    private const int Requests = 100;
    private const int Kills = 5;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Two_workers_racing_on_postgresql_while_one_is_killed_five_times_lose_nothing_and_publish_nothing_twice()
    {
        using var postgres = PostgresServer.Start();
        var connection = postgres.CreateDatabase();
        var data = _dir.File("data");
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Jobs"] = connection,
            ["Jobs__InvisibilityTimeout"] = "00:00:03",
            ["Composer__Generator"] = "ngram",
        };

        await using var observer = Observer(connection, data);
        var store = observer.GetRequiredService<RequestStore>();
        await store.InitializeAsync(CancellationToken.None);
        var jobs = observer.GetRequiredService<JobClient>();
        var ids = new List<string>();
        for (var i = 0; i < Requests; i++)
        {
            var order = new JobOrder(new TrackOptions { Prompt = "calm piano 15 s", Seed = i }) { Format = "ogg" };
            var admitted = await jobs.SubmitAsync(order, new JobOrigin(LocalResultPublisher.Name, $"user{i}"), CancellationToken.None);
            Assert.True(admitted.Accepted, admitted.Reason);
            ids.Add(admitted.RequestId!);
        }

        var workers = new[] { Worker(environment, data), Worker(environment, data) };
        try
        {
            for (var kill = 0; kill < Kills; kill++)
            {
                // Let the workers get going (the one started last too), then kill one in the middle of a job.
                await Task.Delay(TimeSpan.FromSeconds(3));
                await WaitAsync(async () => await BusyAsync(store), 60, workers, store, ids);
                var victim = kill % 2;
                workers[victim].KillHard();
                workers[victim].Dispose();
                workers[victim] = Worker(environment, data);
            }

            Assert.True(await PublishedAsync(store, ids) < Requests, "the kills came after the work was done");
            await WaitAsync(async () => await PublishedAsync(store, ids) == Requests, 300, workers, store, ids);
            await Task.Delay(1500); // a duplicate publish would show up now

            var final = await SnapshotAsync(store, ids);
            foreach (var request in final)
            {
                Assert.True(request is { State: JobState.Succeeded, PublishedUtc: not null }, $"{request.Id}: {request.State} {request.Error}");
                Assert.Equal(1, await store.DeliveriesAsync(request.Id, CancellationToken.None));
            }

            // The kills really hit jobs in flight: some requests needed a second attempt.
            Assert.InRange(final.Count(r => r.Attempts > 1), 1, Kills);
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Terminate(TimeSpan.FromSeconds(30));
                worker.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_worker_stops_promptly_though_a_killed_worker_left_hangfires_schedule_lock_behind()
    {
        using var postgres = PostgresServer.Start();
        var connection = postgres.CreateDatabase();
        var data = _dir.File("data");
        await using var observer = Observer(connection, data);

        // What SIGKILL leaves when it lands while a worker polls the schedule: the lock row, never deleted.
        await using (var left = observer.GetRequiredService<JobStore>().DataSource.CreateCommand(
            "INSERT INTO hangfire.lock (resource, updatecount, acquired) VALUES ('hangfire:locks:schedulepoller', 0, now())"))
        {
            await left.ExecuteNonQueryAsync();
        }

        using var worker = Worker(new() { ["ConnectionStrings__Jobs"] = connection, ["Composer__Generator"] = "ngram" }, data);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!worker.Output.Contains(" started: ", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline && !worker.HasExited, $"the worker did not start:\n{worker.Output}");
            await Task.Delay(100);
        }

        // Its schedule poller now waits for the dead worker's lock; a stop must not wait out Hangfire's
        // shutdown timeout (Jobs:ShutdownTimeout + 10 s = 40 s) for it.
        await Task.Delay(1500);
        Assert.Equal(0, worker.Terminate(TimeSpan.FromSeconds(25)));
    }

    private static CliProcess Worker(Dictionary<string, string> environment, string data) => new(environment, "worker", "--data", data);

    /// <summary>Every request as the store holds it now.</summary>
    private static async Task<List<JobRequest>> SnapshotAsync(RequestStore store, List<string> ids)
    {
        var requests = new List<JobRequest>(ids.Count);
        foreach (var id in ids)
        {
            requests.Add((await store.GetAsync(id, CancellationToken.None))!);
        }

        return requests;
    }

    private static async Task<int> PublishedAsync(RequestStore store, List<string> ids) => (await SnapshotAsync(store, ids)).Count(r => r.PublishedUtc is not null);

    private static async Task<bool> BusyAsync(RequestStore store) => (await store.CountsAsync(CancellationToken.None)).Running > 0;

    /// <summary>The same queue, read and fed from this process, with limits that admit the whole burst.</summary>
    private static ServiceProvider Observer(string connection, string data) => JobsObserver.Open(new()
    {
        ["Jobs:DataDirectory"] = data,
        ["ConnectionStrings:Jobs"] = connection,
        ["Jobs:Limits:GlobalQueued"] = "1000",
    });

    private static async Task WaitAsync(Func<Task<bool>> condition, int seconds, CliProcess[] workers, RequestStore store, List<string> ids)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline || workers.Any(w => w.HasExited))
            {
                var states = (await SnapshotAsync(store, ids)).GroupBy(r => $"{r.State}{(r.PublishedUtc is null ? "" : " published")}").Select(g => $"{g.Key}: {g.Count()}");
                Assert.Fail($"gave up after {seconds} s ({string.Join(", ", states)}):\n{string.Join("\n---\n", workers.Select(w => w.Output[^Math.Min(w.Output.Length, 3000)..]))}");
            }

            await Task.Delay(100);
        }
    }
}
