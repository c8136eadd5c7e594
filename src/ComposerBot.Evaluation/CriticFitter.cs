using ComposerBot.Corpus;
using ComposerBot.Generation.Neural;
using ComposerBot.Music.Metrics;

namespace ComposerBot.Evaluation;

/// <summary>What <c>critic</c> was asked to do: fit the model's melody critic on the corpus's valid split.</summary>
public sealed record CriticRequest(string ModelPath, string CorpusPath, string CacheDirectory)
{
    /// <summary>How many valid pieces lend their conditioning to the model's melodies (and stand for human tunes).</summary>
    public int Count { get; init; } = 400;

    public int Seed { get; init; } = 1;

    public string Device { get; init; } = "auto";

    /// <summary>The sampling calibration compose uses with the model (the critic judges the melodies compose would write), or none.</summary>
    public SamplingCalibration? Calibration { get; init; }
}

/// <summary>
/// Fits a <see cref="MelodyCritic"/>: the model writes one melody per valid-split piece, with that piece's
/// conditioning, the training tunes' forms and compose's sampling (one candidate, no critic), and a logistic
/// regression on <see cref="PieceFeatures"/> learns to tell them from the valid pieces themselves. The median of
/// its scores of the model's melodies becomes the acceptance line, per feel where a feel has enough of them; its
/// 5-fold cross-validated accuracy is recorded. The test split is never read, so <c>evaluate</c> still judges on
/// tunes neither the model nor the critic has seen.
/// </summary>
public static class CriticFitter
{
    /// <summary>Generation seeds start here, apart from those of <c>calibrate</c> and <c>evaluate</c>.</summary>
    private const int SeedOffset = 500_000;

    public static MelodyCritic Fit(CriticRequest request, IProgress<EvaluationStage>? progress = null, CancellationToken cancellationToken = default)
    {
        var corpus = CorpusLoader.Load(request.CorpusPath, request.CacheDirectory, null, cancellationToken);
        var pieces = ModelSampling.Conditionings(corpus.In(Split.Valid), new Random(request.Seed), request.Seed + SeedOffset, request.Count);
        if (pieces.Count < 2)
        {
            throw new EvaluationException($"the corpus at {request.CorpusPath} has {pieces.Count} valid-split pieces the model can write; fitting a critic needs at least 2.");
        }

        var forms = ModelSampling.TrainingForms(corpus);
        var (model, manifest) = ModelFiles.Load(request.ModelPath, TorchRuntime.Resolve(request.Device));
        using (model)
        {
            var composer = new NeuralComposer(model, manifest.WeightsSha256, new SamplingOptions { Calibration = request.Calibration }, forms);
            var generated = ModelSampling.Write(composer, [.. pieces.Select(p => p.Spec)], "Sampling melodies for the critic", progress, cancellationToken);

            progress?.Report(new EvaluationStage("Fitting the critic", 0));
            double[][] machine = [.. generated.Select(PieceFeatures.Of)];
            double[][] human = [.. pieces.Select(p => PieceFeatures.Of(p.Piece.LeadSheet))];
            var regression = LogisticRegression.Fit([.. machine.Select(x => (x, 1.0)), .. human.Select(x => (x, 0.0))]);
            double? accuracy = pieces.Count >= TwoSampleTest.MinimumPerSide
                ? TwoSampleTest.Run("model vs valid split", machine, human, PieceFeatures.Names, request.Seed).Accuracy
                : null;
            progress?.Report(new EvaluationStage("Fitting the critic", 1));
            var scores = machine.Select(regression.Score).ToList();
            var byFeel = pieces.Select((p, i) => (Feel: p.Spec.Feel ?? "other", Score: scores[i])).GroupBy(x => x.Feel)
                .Where(g => g.Count() >= MelodyCritic.MinPerFeel)
                .ToDictionary(g => g.Key, g => Median([.. g.Select(x => x.Score)]), StringComparer.Ordinal);
            return MelodyCritic.From(regression, Median(scores), manifest.WeightsSha256, new CriticFit("valid", pieces.Count, request.Seed, accuracy, DateTimeOffset.UtcNow))
                with { AcceptBelowByFeel = byFeel };
        }
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
