using System.Diagnostics;
using System.Globalization;
using System.Text;
using ComposerBot.Composition.Prompts;
using ComposerBot.Rendering.Encoding;
using ComposerBot.Studio;
using ComposerBot.TestSupport;
using ComposerBot.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace ComposerBot.Benchmarks;

/// <summary>
/// The bot against the stand-in Discord with a real worker (the shipped model): (1) how soon an interaction
/// is acknowledged when 20 arrive at once, against a bare HTTP round trip to the same stand-in; (2) how long
/// a 60-second track takes from the interaction to the posted message with an idle worker, against
/// composing the same track directly in the same process.
/// </summary>
internal static class BotBenchmark
{
    public static async Task<string> RunAsync(int runs, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Jobs:Limits:PerUserConcurrent"] = "1000",
            ["Jobs:Limits:PerUserPerHour"] = "1000",
            ["Jobs:Limits:PerGuildQueued"] = "1000",
            ["Jobs:Limits:GlobalQueued"] = "1000",
        };
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();

        List<double> acks;
        double roundTrip;
        await using (var bot = await BotHarness.StartAsync(generator: "auto", settings: settings))
        {
            // Warm-up: one command end to end (JIT, connection pools, the model).
            await bot.FinalAsync(await bot.SlashAsync("compose", """[{"name":"prompt","type":3,"value":"warm up 12 s"}]"""), 120);
            acks = [];
            for (var round = 0; round < 3; round++)
            {
                var sent = new List<(string Token, DateTimeOffset At)>();
                var burst = Enumerable.Range(0, 20).Select(async i =>
                {
                    var at = DateTimeOffset.UtcNow;
                    var token = await bot.SlashAsync("compose", """[{"name":"prompt","type":3,"value":"lofi 12 s"}]""", user: $"u{round}-{i}");
                    lock (sent)
                    {
                        sent.Add((token, at));
                    }
                });
                await Task.WhenAll(burst);
                foreach (var (token, at) in sent)
                {
                    acks.Add(((await bot.FirstResponseAsync(token)).At - at).TotalMilliseconds);
                }

                // Let the burst's jobs drain so that each round starts from an idle queue.
                foreach (var (token, _) in sent)
                {
                    await bot.FinalAsync(token, 120);
                }
            }

            using var http = new HttpClient { BaseAddress = bot.Discord.BaseAddress };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bot", Discord.Tests.StandInDiscord.Token);
            var trips = new List<double>();
            for (var i = 0; i < 20; i++)
            {
                var at = DateTimeOffset.UtcNow;
                using var response = await http.PostAsync($"interactions/raw{i}/raw{i}/callback", new StringContent("""{"type":5}""", Encoding.UTF8, "application/json"), cancellationToken);
                trips.Add((bot.Discord.Requests.Last(r => r.Path.StartsWith($"interactions/raw{i}/", StringComparison.Ordinal)).At - at).TotalMilliseconds);
                await Task.Delay(250, cancellationToken); // the stand-in's rate limit window
            }

            roundTrip = Measure.Median(trips);
        }

        text.AppendLine("### Bot: acknowledgement under 20 concurrent interactions (stand-in Discord, worker busy with the bursts' tracks)");
        text.AppendLine();
        text.AppendLine("| what | p50 | p99 | max |");
        text.AppendLine("| --- | --- | --- | --- |");
        text.AppendLine(inv, $"| /compose received → first response at Discord ({acks.Count} interactions, 3 bursts of 20) | {Measure.Median(acks):0.0} ms | {Measure.Percentile(acks, 0.99):0.0} ms | {acks.Max():0.0} ms |");
        text.AppendLine(inv, $"| baseline: a bare HTTP POST to the same stand-in | {roundTrip:0.0} ms | | |");
        text.AppendLine();
        text.AppendLine(inv, $"Target: ack p99 ≤ 150 ms ({(Measure.Percentile(acks, 0.99) <= 150 ? "met" : "missed")}); p99 is {Measure.Percentile(acks, 0.99) / roundTrip:0}x the bare round trip.");
        text.AppendLine();

        var posted = new List<double>();
        var direct = new List<double>();
        await using (var bot = await BotHarness.StartAsync(generator: "auto", settings: settings))
        {
            var composer = bot.Services.GetRequiredService<TrackComposer>();
            using var work = new TempDirectory();
            await bot.FinalAsync(await bot.SlashAsync("compose", """[{"name":"prompt","type":3,"value":"warm up 12 s"}]"""), 120);
            for (var i = 0; i < Math.Max(3, runs); i++)
            {
                var watch = Stopwatch.StartNew();
                var token = await bot.SlashAsync("compose", $$$"""[{"name":"prompt","type":3,"value":"upbeat rock 60 s"},{"name":"seed","type":4,"value":{{{i + 1}}}}]""", user: $"p{i}");
                var final = await bot.FinalAsync(token, 120);
                posted.Add((final.At - (DateTimeOffset.UtcNow - watch.Elapsed)).TotalSeconds);

                var parsed = new TrackOptions { Prompt = "upbeat rock 60 s", Seed = i + 1 }.Read();
                watch.Restart();
                await composer.ComposeAsync(new ComposeOrder(parsed.Request, parsed, work.Path, $"d{i}", AudioFormat.Mp3), null, cancellationToken);
                direct.Add(watch.Elapsed.TotalSeconds);
            }
        }

        text.AppendLine(inv, $"### Bot: time to a posted 60-second track with an idle worker ({posted.Count} runs, the shipped model)");
        text.AppendLine();
        text.AppendLine("| what | p50 | max |");
        text.AppendLine("| --- | --- | --- |");
        text.AppendLine(inv, $"| /compose received → message with the audio, MIDI and piano roll posted | {Measure.Median(posted):0.00} s | {posted.Max():0.00} s |");
        text.AppendLine(inv, $"| baseline: the same track composed directly in the same process | {Measure.Median(direct):0.00} s | {direct.Max():0.00} s |");
        text.AppendLine();
        text.AppendLine(inv, $"Target: p50 ≤ 4 s ({(Measure.Median(posted) <= 4 ? "met" : "missed")}); posted / direct = {Measure.Median(posted) / Measure.Median(direct):0.00}x (the queue, the progress edits and the upload cost little next to composing).");
        return text.ToString();
    }
}
