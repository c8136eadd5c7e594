using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ComposerBot.Composition.Requests;
using ComposerBot.Studio;
using ComposerBot.TestSupport;
using ComposerBot.Tests;

namespace ComposerBot.Benchmarks;

/// <summary>
/// The peak resident memory of a running <c>composerbot serve</c> (one in-process worker, the default
/// SoundFont and model): one 60-second track in every style, asked for through the web API one after another,
/// then the process's VmHWM. The environment is the scripts' (MALLOC_ARENA_MAX=2 where run.sh set it).
/// </summary>
internal static class ServeMemoryBenchmark
{
    public static async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        using var data = new TempDirectory();
        var url = $"http://127.0.0.1:{LoopbackPort.Free()}";
        using var serve = new CliProcess(new Dictionary<string, string>(), "serve", "--urls", url, "--data", data.Path);
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        await ServeProcess.WaitHealthyAsync(http, serve, cancellationToken);
        double startup = ProcessRun.StatusKiB(serve.Id, "VmRSS");
        foreach (var style in Enum.GetValues<Style>())
        {
            var id = await SubmitAsync(http, StyleProfile.Name(style), cancellationToken);
            await FinishedAsync(http, id, serve, cancellationToken);
        }

        double peak = ProcessRun.StatusKiB(serve.Id, "VmHWM"), now = ProcessRun.StatusKiB(serve.Id, "VmRSS");
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("### A running `serve`'s peak resident memory: one 60-second track in each of the eight styles through `POST /api/compose`");
        text.AppendLine();
        text.AppendLine("| what | MiB | MB |");
        text.AppendLine("| --- | ---: | ---: |");
        text.AppendLine(inv, $"| resident memory after start-up, before any request | {startup / 1024:0} | {startup * 1.024 / 1000:0} |");
        text.AppendLine(inv, $"| peak resident memory (VmHWM) after the eight tracks | **{peak / 1024:0}** | {peak * 1.024 / 1000:0} |");
        text.AppendLine(inv, $"| resident memory then | {now / 1024:0} | {now * 1.024 / 1000:0} |");
        text.AppendLine();
        text.AppendLine(inv, $"**`serve` peaks at {peak * 1.024 / 1000:0} MB ({peak / 1024:0} MiB).** Target (issue 20): peak RSS of `serve` <= 800 MB ({(peak * 1.024 / 1000 <= 800 ? "met" : "missed")}).");
        return text.ToString();
    }

    private static async Task<string> SubmitAsync(HttpClient http, string style, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var response = await http.PostAsJsonAsync("/api/compose", new { style, length = "60s", seed = 0 }, cancellationToken);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), cancellationToken);
                continue;
            }

            response.EnsureSuccessStatusCode();
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!["id"]!.GetValue<string>();
        }
    }

    private static async Task FinishedAsync(HttpClient http, string id, CliProcess serve, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline && !serve.HasExited)
        {
            var view = JsonNode.Parse(await http.GetStringAsync($"/api/requests/{id}", cancellationToken))!;
            switch (view["state"]!.GetValue<string>())
            {
                case "succeeded":
                    return;
                case "failed" or "cancelled":
                    throw new InvalidOperationException($"request {id} ended {view["state"]}: {view.ToJsonString()}");
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new InvalidOperationException($"request {id} did not finish in 3 minutes:\n{serve.Output}");
    }
}
