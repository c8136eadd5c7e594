using ComposerBot.Corpus;
using ComposerBot.Generation.Neural;
using ComposerBot.Generation.Tokens;
using ComposerBot.Music.LeadSheets;

namespace ComposerBot.Evaluation;

/// <summary>What <c>calibrate</c> was asked to do: fit the model's sampling calibration on the corpus's valid split.</summary>
public sealed record CalibrationRequest(string ModelPath, string CorpusPath, string CacheDirectory)
{
    /// <summary>How many valid pieces lend their conditioning (feel, key, meter, bars, tempo) to each round's melodies.</summary>
    public int Count { get; init; } = 200;

    public int Iterations { get; init; } = 4;

    public int Seed { get; init; } = 1;

    public string Device { get; init; } = "auto";

    /// <summary>
    /// Whether the calibration also carries the feels' shares of tunes with sixteenths (a per-melody choice
    /// that compose's shipped calibration does not make: measured, it told the melodies from human tunes more
    /// often, models/MODEL_CARD.md). Off by default, so the command rebuilds what ships.
    /// </summary>
    public bool SixteenthShares { get; init; }
}

/// <summary>
/// Fits a <see cref="SamplingCalibration"/>: the model writes one melody per valid-split piece, with that piece's
/// conditioning and compose's sampling, and each bin's offset moves by the log ratio of the human share to the
/// sampled share (iterative proportional fitting of the step-size and note-length marginals). The test split
/// is never read, so <c>evaluate</c> still judges on unseen tunes.
/// </summary>
public static class SamplingCalibrator
{
    /// <summary>How far one round moves an offset towards the log ratio (below 1: the bins interact through the grammar).</summary>
    public const double Rate = 0.8;

    /// <summary>The largest offset, in logits, either way.</summary>
    public const double MaxBias = 2.5;

    /// <summary>A bin is fitted only where both sets have at least this many notes in it; rarer ones keep their offset.</summary>
    public const int MinCount = 20;

    public static SamplingCalibration Fit(CalibrationRequest request, IProgress<EvaluationStage>? progress = null, CancellationToken cancellationToken = default)
    {
        var corpus = CorpusLoader.Load(request.CorpusPath, request.CacheDirectory, null, cancellationToken);
        var pieces = corpus.In(Split.Valid).ToList();
        if (pieces.Count < 2)
        {
            throw new EvaluationException($"the corpus at {request.CorpusPath} has {pieces.Count} pieces in its valid split; calibrating needs at least 2.");
        }

        var forms = ModelSampling.TrainingForms(corpus);
        var specs = ModelSampling.Conditionings(pieces, new Random(request.Seed), request.Seed, request.Count).Select(p => p.Spec).ToList();
        var (humanIntervals, humanDurations) = SamplingCalibration.Histograms(pieces.Select(p => p.LeadSheet));
        var shares = request.SixteenthShares ? SixteenthShares(pieces.Select(p => (LeadSheetTokenizer.FeelOf(p.Type), p.LeadSheet))) : null;

        var (model, manifest) = ModelFiles.Load(request.ModelPath, TorchRuntime.Resolve(request.Device));
        using (model)
        {
            var intervals = new double[SamplingCalibration.IntervalBins];
            var durations = new double[SamplingCalibration.DurationBins];
            (double Intervals, double Durations) before = default, after = default;
            for (var round = 0; round <= request.Iterations; round++)
            {
                var calibration = Calibration(manifest.WeightsSha256, intervals, durations, shares, default);
                var composer = new NeuralComposer(model, manifest.WeightsSha256, new SamplingOptions { Calibration = round == 0 ? null : calibration }, forms);
                var stage = round == 0 ? "Sampling as the model is" : $"Calibrating (round {round} of {request.Iterations})";
                var sheets = ModelSampling.Write(composer, specs, stage, progress, cancellationToken);
                var (sampledIntervals, sampledDurations) = SamplingCalibration.Histograms(sheets);
                after = (TotalVariation(humanIntervals, sampledIntervals), TotalVariation(humanDurations, sampledDurations));
                before = round == 0 ? after : before;
                if (round < request.Iterations)
                {
                    intervals = Update(intervals, humanIntervals, sampledIntervals);
                    durations = Update(durations, humanDurations, sampledDurations);
                }
            }

            return Calibration(manifest.WeightsSha256, intervals, durations, shares, new CalibrationFit(
                "valid", specs.Count, request.Iterations, request.Seed, before.Intervals, after.Intervals, before.Durations, after.Durations, DateTimeOffset.UtcNow));
        }
    }

    /// <summary>
    /// One round of fitting: each bin's offset moves by <see cref="Rate"/> times the log of the human share over
    /// the sampled share, within +-<see cref="MaxBias"/>; bins with fewer than <see cref="MinCount"/> notes on
    /// either side keep theirs.
    /// </summary>
    public static double[] Update(IReadOnlyList<double> bias, IReadOnlyList<double> human, IReadOnlyList<double> sampled)
    {
        double humanTotal = human.Sum(), sampledTotal = sampled.Sum();
        var next = bias.ToArray();
        for (var b = 0; b < next.Length; b++)
        {
            if (human[b] >= MinCount && sampled[b] >= MinCount)
            {
                next[b] = Math.Clamp(next[b] + (Rate * Math.Log(human[b] / humanTotal / (sampled[b] / sampledTotal))), -MaxBias, MaxBias);
            }
        }

        return next;
    }

    /// <summary>Half the summed absolute difference of two histograms' shares: 0 the same, 1 disjoint.</summary>
    public static double TotalVariation(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        double sa = a.Sum(), sb = b.Sum();
        return sa == 0 || sb == 0 ? 1 : 0.5 * a.Zip(b, (x, y) => Math.Abs((x / sa) - (y / sb))).Sum();
    }

    /// <summary>
    /// Per feel, the share of the tunes with a sixteenth note (<see cref="SamplingCalibration.HasSixteenths"/>), for
    /// feels with at least <see cref="MinCount"/> tunes, and under <see cref="SamplingCalibration.AnyFeel"/> the share
    /// of all of them.
    /// </summary>
    public static Dictionary<string, double> SixteenthShares(IEnumerable<(string Feel, LeadSheet Sheet)> tunes)
    {
        var marked = tunes.Select(t => (t.Feel, Has: SamplingCalibration.HasSixteenths(t.Sheet))).ToList();
        var shares = marked.GroupBy(t => t.Feel).Where(g => g.Count() >= MinCount)
            .ToDictionary(g => g.Key, g => Math.Round((double)g.Count(t => t.Has) / g.Count(), 4));
        shares[SamplingCalibration.AnyFeel] = marked.Count == 0 ? 1 : Math.Round((double)marked.Count(t => t.Has) / marked.Count, 4);
        return shares;
    }

    private static SamplingCalibration Calibration(string sha, double[] intervals, double[] durations, Dictionary<string, double>? shares, CalibrationFit? fit) =>
        new(SamplingCalibration.CurrentFormat, sha, [.. intervals.Select(b => Math.Round(b, 4))], [.. durations.Select(b => Math.Round(b, 4))],
            fit ?? new CalibrationFit("valid", 0, 0, 0, 0, 0, 0, 0, default), shares);
}
