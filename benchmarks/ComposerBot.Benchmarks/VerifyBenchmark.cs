using System.Globalization;
using System.Text;
using ComposerBot.Composition.Requests;
using ComposerBot.Rendering;
using ComposerBot.Rendering.Encoding;
using ComposerBot.Rendering.Fingerprints;
using ComposerBot.Studio;
using ComposerBot.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ComposerBot.Benchmarks;

/// <summary>
/// The targets of verification: no false match among 1,035 pairs of different tracks (46 tracks of every
/// style, n-gram composer), the share of re-encoded and excerpted copies that verify, and the time of
/// `composerbot verify` as a process on a 60-second track of the shipped model, by hash and by
/// regeneration, beside `composerbot compose` of the same track in the same run.
/// </summary>
internal static class VerifyBenchmark
{
    public static async Task<string> RunAsync(string models, CancellationToken cancellationToken)
    {
        using var work = new TempDirectory();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rendering:SoundFont"] = ExternalTools.SystemSoundFont,
            ["Models:Directory"] = Path.GetFullPath(models),
            ["Composer:Generator"] = "ngram",
            ["Composer:SigningKey"] = work.File("signing-key"),
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddComposerRendering(configuration).AddComposerStudio(configuration).BuildServiceProvider();
        var composer = services.GetRequiredService<TrackComposer>();
        var probe = services.GetRequiredService<AudioProbe>();

        const int tracks = 46;
        var styles = Enum.GetValues<Style>();
        var references = new List<AudioFingerprint>();
        var copies = new List<(int Track, AudioFingerprint Copy)>();
        for (var i = 0; i < tracks; i++)
        {
            var result = await composer.ComposeAsync(new ComposeOrder(new CompositionRequest { Style = styles[i % styles.Length], LengthSeconds = 20, Seed = 1000 + i }, null, work.Path, $"t{i}", AudioFormat.Wav), null, cancellationToken);
            references.Add(AudioFingerprint.Of(await probe.DecodeMonoAsync(result.AudioPath, cancellationToken)));
            foreach (var (name, args) in new[] { ("reencoded.mp3", new[] { "-b:a", "64k" }), ("excerpt.ogg", new[] { "-ss", "4", "-t", "10", "-c:a", "libopus", "-b:a", "64k" }) })
            {
                var copy = work.File($"t{i}-{name}");
                ExternalTools.Run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-i", result.AudioPath, .. args, "-y", copy]);
                copies.Add((i, AudioFingerprint.Of(await probe.DecodeMonoAsync(copy, cancellationToken))));
            }

            File.Delete(result.AudioPath);
        }

        var pairs = 0;
        var falseMatches = 0;
        var closest = 0.0;
        for (var i = 0; i < tracks; i++)
        {
            for (var j = i + 1; j < tracks; j++)
            {
                var match = references[i].Match(references[j]);
                pairs++;
                falseMatches += match.IsSameRecording ? 1 : 0;
                closest = Math.Max(closest, match.Correlation);
            }
        }

        var copyMatches = copies.Select(c => references[c.Track].Match(c.Copy)).ToList();
        var verifiedCopies = copyMatches.Count(m => m.IsSameRecording);
        var weakest = copyMatches.Min(m => m.Correlation);
        var fewest = copyMatches.Min(m => m.Landmarks);
        var leastShare = copyMatches.Min(m => m.Share);

        // The CLI on a 60-second track of the shipped model (built first, so no timing includes a build).
        await TimeAsync(["--help"], cancellationToken);
        var cli = work.File("cli");
        var compose = await TimeAsync(["compose", "calm piano 60 s", "--format", "mp3", "--out", cli], cancellationToken);
        var mp3 = Directory.GetFiles(cli, "*.mp3").Single();
        var upload = Path.Combine(cli, "upload.mp3");
        ExternalTools.Run("ffmpeg", "-hide_banner", "-loglevel", "error", "-i", mp3, "-b:a", "96k", "-y", upload);
        var hashes = new List<double>();
        var regenerations = new List<double>();
        for (var run = 0; run < 3; run++)
        {
            hashes.Add(await TimeAsync(["verify", mp3], cancellationToken));
            regenerations.Add(await TimeAsync(["verify", upload], cancellationToken));
        }

        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(inv, $"### Verification: {tracks} tracks of {styles.Length} styles (n-gram composer, 20 s), their copies, and `composerbot verify`");
        text.AppendLine();
        text.AppendLine("| measure | result | target |");
        text.AppendLine("| --- | --- | --- |");
        text.AppendLine(inv, $"| false matches among pairs of different tracks | {falseMatches} of {pairs} (highest correlation {closest:0.00}) | 0 of 1,000 |");
        text.AppendLine(inv, $"| copies: fewest agreeing landmarks, smallest share | {fewest}, {leastShare:P0} | (the rule: 30 and 15%) |");
        text.AppendLine(inv, $"| copies that verify (64 kb/s MP3 of the whole; 10 s Opus excerpt) | {verifiedCopies} of {copies.Count} ({100.0 * verifiedCopies / copies.Count:0.0}%; lowest correlation {weakest:0.00}) | >= 99% |");
        text.AppendLine(inv, $"| `verify` of a 60-second track, by hash (process, median of 3) | {Median(hashes):0.00} s | <= 0.2 s |");
        text.AppendLine(inv, $"| `verify` of a 60-second re-encoded copy, by regeneration (process, median of 3) | {Median(regenerations):0.00} s | <= 3 s |");
        text.AppendLine(inv, $"| baseline: `compose \"calm piano 60 s\"` (process, the same track) | {compose:0.00} s | |");
        text.AppendLine();
        text.AppendLine("Process times include the .NET start and, for regeneration, loading the model: the hash target is for the check itself, which the process start dominates.");
        return text.ToString();
    }

    private static double Median(IEnumerable<double> values) => Measure.Median(values);

    private static async Task<double> TimeAsync(string[] args, CancellationToken cancellationToken) =>
        (await ProcessRun.RunAsync(["./composerbot", .. args], cancellationToken)).Seconds;
}
