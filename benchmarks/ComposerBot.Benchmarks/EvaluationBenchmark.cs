using System.Diagnostics;
using System.Globalization;
using System.Text;
using ComposerBot.Corpus;
using ComposerBot.Evaluation;
using ComposerBot.Music.LeadSheets;
using ComposerBot.Music.Metrics;
using ComposerBot.TestSupport;

namespace ComposerBot.Benchmarks;

/// <summary>
/// On the real corpus: loading (cold and cached), the originality index (one melody against the whole
/// training split, compared with a brute-force scan in the same run), and whole evaluations of 200 pieces.
/// </summary>
internal static class EvaluationBenchmark
{
    public static async Task<string> RunAsync(string corpusPath, CancellationToken cancellationToken)
    {
        using var cache = new TempDirectory();
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("### Evaluation on the shared corpus");
        text.AppendLine();

        var cold = Stopwatch.StartNew();
        var corpus = CorpusLoader.Load(corpusPath, cache.Path, null, cancellationToken);
        var coldSeconds = cold.Elapsed.TotalSeconds;
        var warm = await Measure.MedianSecondsAsync(3, () => { CorpusLoader.Load(corpusPath, cache.Path, null, cancellationToken); });

        var train = corpus.In(Split.Train).Select(p => (p.File, Symbols: MelodySymbols.Of(p.LeadSheet.Melody, LeadSheet.Resolution))).ToList();
        var build = Stopwatch.StartNew();
        var index = OriginalityIndex.Build(train);
        var buildSeconds = build.Elapsed.TotalSeconds;

        var queries = corpus.In(Split.Test).Select(p => MelodySymbols.Of(p.LeadSheet.Melody, LeadSheet.Resolution)).ToList();
        var indexTimes = queries.Select(q => Time(() => index.Check(q))).Order().ToList();
        var scanTimes = queries.Take(40).Select(q => Time(() => BruteForceLongestRun(q, train))).Order().ToList();
        var agree = queries.Take(40).All(q => BruteForceLongestRun(q, train) == index.Check(q).LongestSharedRun);

        var heldout = Time(() => Evaluator.Run(new EvaluationRequest(GeneratorKind.Heldout, 200, cache.File("h"), corpusPath, cache.Path), null, cancellationToken));
        var ngram = Time(() => Evaluator.Run(new EvaluationRequest(GeneratorKind.Ngram, 200, cache.File("n"), corpusPath, cache.Path), null, cancellationToken));

        text.AppendLine("| what | time |");
        text.AppendLine("| --- | --- |");
        text.AppendLine(inv, $"| load and extract {corpus.Pieces.Count} pieces (cold, 2 threads) | {coldSeconds:0.00} s |");
        text.AppendLine(inv, $"| load from the extraction cache | {warm:0.00} s |");
        text.AppendLine(inv, $"| build the originality index ({index.Pieces} training melodies, {index.SymbolCount:N0} symbols) | {buildSeconds:0.00} s |");
        text.AppendLine(inv, $"| one melody against the index: p50 / p99 / max over {queries.Count} test melodies | {Ms(indexTimes, 0.5)} / {Ms(indexTimes, 0.99)} / {indexTimes[^1] * 1000:0.00} ms |");
        text.AppendLine(inv, $"| the same by brute-force scan of every training melody: p50 (40 queries) | {Ms(scanTimes, 0.5)} ms |");
        text.AppendLine(inv, $"| `evaluate --generator heldout --count 200` (in-process, warm cache) | {heldout:0.0} s |");
        text.AppendLine(inv, $"| `evaluate --generator ngram --count 200` (in-process, warm cache) | {ngram:0.0} s |");
        text.AppendLine();
        text.AppendLine(inv, $"**Index speed-up over the scan (p50, same run): {Measure.Percentile(scanTimes, 0.5) / Measure.Percentile(indexTimes, 0.5):0}x**; the two agree on every compared query: {(agree ? "yes" : "NO")}. Target: one query under 50 ms ({(indexTimes[^1] < 0.05 ? "met, even at the maximum" : "missed")}); each evaluation under 5 minutes ({(Math.Max(heldout, ngram) < 300 ? "met" : "missed")}).");
        return text.ToString();
    }

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }

    private static string Ms(List<double> sorted, double p) => (Measure.Percentile(sorted, p) * 1000).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>The longest common substring against every training melody by dynamic programming.</summary>
    private static int BruteForceLongestRun(ushort[] query, List<(string File, ushort[] Symbols)> train)
    {
        var best = 0;
        var previous = new int[query.Length + 1];
        var current = new int[query.Length + 1];
        foreach (var (_, symbols) in train)
        {
            Array.Clear(previous);
            foreach (var s in symbols)
            {
                for (var j = 1; j <= query.Length; j++)
                {
                    current[j] = query[j - 1] == s ? previous[j - 1] + 1 : 0;
                    best = Math.Max(best, current[j]);
                }

                (previous, current) = (current, previous);
            }
        }

        return best;
    }
}
