using System.Diagnostics;
using System.Globalization;
using System.Text;
using ComposerBot.Composition.Prompts;
using ComposerBot.Jobs;
using ComposerBot.Jobs.Publishing;
using ComposerBot.Jobs.Storage;
using ComposerBot.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ComposerBot.Benchmarks;

/// <summary>
/// Kill trials: a worker process is killed with SIGKILL at a random moment of a compose job (anywhere from
/// planning to publishing), a new worker is started, and the request must end published exactly once.
/// Each new worker is the next trial's victim. Counts lost and duplicated results over all trials.
/// </summary>
internal static class FaultTrials
{
    public static async Task<string> RunAsync(int trials, CancellationToken cancellationToken)
    {
        using var dir = new TempDirectory();
        var data = dir.File("data");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Jobs:DataDirectory"] = data,
            ["Jobs:Limits:PerUserConcurrent"] = "1000",
            ["Jobs:Limits:PerUserPerHour"] = "1000",
        }).Build();
        await using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddComposerJobs(configuration).BuildServiceProvider();
        var jobs = services.GetRequiredService<JobClient>();
        var store = services.GetRequiredService<RequestStore>();
        var random = new Random(7);
        var killedIn = new Dictionary<string, int>();
        var (lost, duplicated, once) = (0, 0, 0);
        var worker = StartWorker(data);
        var watch = Stopwatch.StartNew();
        try
        {
            for (var trial = 0; trial < trials; trial++)
            {
                var id = (await jobs.SubmitAsync(new JobOrder(new TrackOptions { Prompt = "happy chiptune 45 s", Seed = trial + 1 }) { Format = "ogg" }, new JobOrigin(LocalResultPublisher.Name, "trials"), cancellationToken)).RequestId!;
                await WaitAsync(async () => await store.GetAsync(id, cancellationToken) is { State: not JobState.Queued }, 60, cancellationToken);
                await Task.Delay(TimeSpan.FromSeconds(random.NextDouble() * 1.5), cancellationToken);
                var at = await store.GetAsync(id, cancellationToken);
                var moment = at!.PublishedUtc is not null ? "done (already published)" : at.State == JobState.Succeeded ? "publishing" : at.Phase.ToString().ToLowerInvariant();
                killedIn[moment] = killedIn.GetValueOrDefault(moment) + 1;
                worker.Kill(entireProcessTree: true);
                await worker.WaitForExitAsync(cancellationToken);
                worker.Dispose();

                worker = StartWorker(data);
                var published = await WaitAsync(async () => await store.GetAsync(id, cancellationToken) is { PublishedUtc: not null }, 120, cancellationToken);
                await Task.Delay(500, cancellationToken);
                var deliveries = await store.DeliveriesAsync(id, cancellationToken);
                (lost, duplicated, once) = !published || deliveries == 0 ? (lost + 1, duplicated, once) : deliveries > 1 ? (lost, duplicated + 1, once) : (lost, duplicated, once + 1);
                Console.Error.WriteLine($"trial {trial + 1}/{trials}: killed while {moment}; delivered {deliveries}x");
            }
        }
        finally
        {
            worker.Kill(entireProcessTree: true);
            worker.Dispose();
        }

        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(inv, $"### Job queue: {trials} kill trials (SIGKILL of the worker process at a random moment of a job, SQLite queue)");
        text.AppendLine();
        text.AppendLine("| killed while | trials |");
        text.AppendLine("| --- | --- |");
        foreach (var (moment, n) in killedIn.OrderByDescending(k => k.Value))
        {
            text.AppendLine(inv, $"| {moment} | {n} |");
        }

        text.AppendLine();
        text.AppendLine(inv, $"**Published exactly once: {once} of {trials}; lost: {lost}; duplicated: {duplicated}** (target: zero lost or duplicated; {(lost == 0 && duplicated == 0 ? "met" : "missed")}). {watch.Elapsed.TotalMinutes:0.0} min in all; the replacement worker takes a dead worker's job after Jobs:InvisibilityTimeout (3 s here).");
        return text.ToString();
    }

    private static Process StartWorker(string data)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "ComposerBot.dll"), "worker", "--data", data })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["Jobs__InvisibilityTimeout"] = "00:00:03";
        info.Environment["Composer__Generator"] = "ngram";
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<bool> WaitAsync(Func<Task<bool>> condition, int seconds, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed.TotalSeconds > seconds)
            {
                return false;
            }

            await Task.Delay(20, cancellationToken);
        }

        return true;
    }
}
