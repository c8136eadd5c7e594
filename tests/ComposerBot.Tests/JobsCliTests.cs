using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComposerBot.Jobs;
using ComposerBot.Jobs.Storage;
using ComposerBot.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ComposerBot.Tests;

/// <summary>serve, worker, submit and cancel as processes, the way an operator runs them, on the SQLite queue.</summary>
public sealed class JobsCliTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Data => _dir.File("data");

    [Fact]
    public async Task Serve_takes_requests_over_http_and_from_submit_and_reports_its_health()
    {
        var url = $"http://127.0.0.1:{LoopbackPort.Free()}";
        using var serve = new CliProcess(null, "serve", "--urls", url, "--data", Data);
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
        var health = await WaitHealthyAsync(http, serve);
        Assert.Equal("sqlite", health.GetProperty("storage").GetString());
        Assert.Equal("cpu", health.GetProperty("workers")[0].GetProperty("device").GetString());

        var posted = await http.PostAsJsonAsync("/api/compose", new { prompt = "happy chiptune 10 s", format = "ogg", seed = 4 });
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var id = (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var view = await WaitEndedAsync(http, id, serve);
        Assert.Equal("succeeded", view.GetProperty("state").GetString());
        var audio = _dir.File("web.ogg");
        await File.WriteAllBytesAsync(audio, await http.GetByteArrayAsync($"/api/requests/{id}/files/audio"));
        Assert.Equal(10, ExternalTools.DurationSeconds(audio), 0.3);

        var bad = await http.PostAsJsonAsync("/api/compose", new { prompt = "piano", key = "H minor" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.StartsWith("'H minor' is not a key", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/requests/nosuchrequest")).StatusCode);

        var submitted = CliRunner.Run("submit", "calm piano 6 s", "--data", Data, "--wait", "--format", "mp3", "-o", _dir.File("out"));
        Assert.True(submitted.ExitCode == 0, submitted.Stderr);
        Assert.Matches("^Queued [0-9a-f]{16} \\(#1 in the queue\\)", submitted.Stdout);
        // The stages it finds the job in as it polls (every 200 ms): a short track may pass one between two looks.
        Assert.Contains(submitted.StderrLines, line => line is "generating" or "rendering");
        Assert.Equal("done", submitted.StderrLines[^1]);
        var mp3 = Assert.Single(Directory.GetFiles(_dir.File("out"), "*.mp3"));
        Assert.Equal(6, ExternalTools.DurationSeconds(mp3), 0.3);
        Assert.Single(Directory.GetFiles(_dir.File("out"), "*.json"));

        Assert.Equal(0, serve.Terminate(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void Submit_refuses_a_bad_order_in_one_line_and_queues_nothing()
    {
        var result = CliRunner.Run("submit", "piano", "--key", "H minor", "--data", Data);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("composerbot: 'H minor' is not a key; write it like 'D minor', 'F#m' or 'Bb major'.", Assert.Single(result.StderrLines));

        var cancel = CliRunner.Run("cancel", "0123456789abcdef", "--data", Data);
        Assert.Equal(2, cancel.ExitCode);
        Assert.Contains("no queued or running request '0123456789abcdef'", cancel.Stderr);
    }

    [Fact]
    public void A_worker_with_a_bad_setting_stops_at_start_with_one_line_and_writes_nothing()
    {
        var result = CliRunner.Run(new Dictionary<string, string> { ["Jobs__Workers"] = "0" }, "worker", "--data", Data);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("composerbot: Jobs:Workers must be 1-64.", Assert.Single(result.StderrLines));
        Assert.Equal("", result.Stdout);
        Assert.False(Directory.Exists(Data));
    }

    [Fact]
    public async Task A_worker_killed_while_rendering_leaves_the_request_to_the_next_worker_which_publishes_it_once()
    {
        var environment = new Dictionary<string, string> { ["Jobs__InvisibilityTimeout"] = "00:00:03" };
        var submitted = CliRunner.Run(environment, "submit", "ambient 2 min", "--data", Data, "--format", "ogg");
        Assert.True(submitted.ExitCode == 0, submitted.Stderr);
        var id = submitted.Stdout.Split(' ')[1];
        await using var observer = Observer();
        var store = observer.GetRequiredService<RequestStore>();

        using (var first = new CliProcess(environment, "worker", "--data", Data))
        {
            await WaitAsync(async () => await store.GetAsync(id, CancellationToken.None) is { Phase: JobPhase.Rendering }, 90, first);
            first.KillHard();
        }

        var orphan = await store.GetAsync(id, CancellationToken.None);
        Assert.Equal((JobState.Running, null), (orphan!.State, orphan.PublishedUtc));

        using var second = new CliProcess(environment, "worker", "--data", Data);
        await WaitAsync(async () => await store.GetAsync(id, CancellationToken.None) is { PublishedUtc: not null }, 120, second);
        var done = await store.GetAsync(id, CancellationToken.None);
        Assert.Equal((JobState.Succeeded, 2), (done!.State, done.Attempts));
        await Task.Delay(1000); // a duplicate would show up now
        Assert.Equal(1, await store.DeliveriesAsync(id, CancellationToken.None));
        Assert.Equal(0, second.Terminate(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_worker_stopped_with_sigterm_in_the_middle_of_a_job_finishes_it_and_exits_cleanly()
    {
        var submitted = CliRunner.Run("submit", "ambient 2 min", "--data", Data, "--format", "ogg");
        Assert.True(submitted.ExitCode == 0, submitted.Stderr);
        var id = submitted.Stdout.Split(' ')[1];
        await using var observer = Observer();
        var store = observer.GetRequiredService<RequestStore>();
        using var worker = new CliProcess(null, "worker", "--data", Data);
        await WaitAsync(async () => await store.GetAsync(id, CancellationToken.None) is { Phase: JobPhase.Rendering }, 90, worker);

        // The worker lets the running job finish (Jobs:ShutdownTimeout) before it exits: not cut off after
        // System.CommandLine's default 2 s with the signal's exit code (143).
        Assert.Equal(0, worker.Terminate(TimeSpan.FromSeconds(60)));
        var done = await store.GetAsync(id, CancellationToken.None);
        Assert.Equal((JobState.Succeeded, 1), (done!.State, done.Attempts));
    }

    /// <summary>The same queue, read from this process.</summary>
    private ServiceProvider Observer() => JobsObserver.Open(new() { ["Jobs:DataDirectory"] = Data });

    private static async Task WaitAsync(Func<Task<bool>> condition, int seconds, CliProcess process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline || process.HasExited)
            {
                Assert.Fail($"gave up after {seconds} s (process exited: {process.HasExited}):\n{process.Output}");
            }

            await Task.Delay(20);
        }
    }

    private static async Task<JsonElement> WaitHealthyAsync(HttpClient http, CliProcess serve)
    {
        JsonElement health = default;
        await WaitAsync(async () =>
        {
            try
            {
                health = await http.GetFromJsonAsync<JsonElement>("/healthz");
                return health.GetProperty("status").GetString() == "healthy";
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, 90, serve);
        return health;
    }

    private static async Task<JsonElement> WaitEndedAsync(HttpClient http, string id, CliProcess serve)
    {
        JsonElement view = default;
        await WaitAsync(async () =>
        {
            view = await http.GetFromJsonAsync<JsonElement>($"/api/requests/{id}");
            return view.GetProperty("state").GetString() is "succeeded" or "failed" or "cancelled";
        }, 90, serve);
        return view;
    }
}
