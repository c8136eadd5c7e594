using ComposerBot.Music.Metrics;

namespace ComposerBot.Evaluation;

/// <summary>Everything the report shows: the three sets' figures and their distribution match.</summary>
public sealed record EvaluationReport(
    EvaluationRequest Request,
    string GeneratorName,
    DateTime CreatedUtc,
    int TrainingPieces,
    SetMetrics Generated,
    SetMetrics Heldout,
    SetMetrics Training,
    IReadOnlyList<FeatureComparison> GeneratedVsHeldout,
    IReadOnlyList<FeatureComparison> TrainingVsHeldout)
{
    /// <summary>The neural model's likelihood of the held-out sample, when the model was evaluated.</summary>
    public ModelLikelihood? ModelLikelihood { get; init; }

    /// <summary>The two-sample classifier test of the generated pieces against the held-out ones (null when too few).</summary>
    public TwoSampleResult? GeneratedVsHeldoutTest { get; init; }

    /// <summary>The same test of human against human: valid-split tunes against the held-out ones, the baseline to read it by.</summary>
    public TwoSampleResult? HumanVsHumanTest { get; init; }

    /// <summary>How many training forms the model's melodies followed (0: none, each melody free).</summary>
    public int FormsFollowed { get; init; }

    /// <summary>Three pieces of each set, for the self-similarity pictures: set name, then (title, bar-level matrix).</summary>
    public IReadOnlyList<(string Set, IReadOnlyList<(string Title, double[,] Matrix)> Pieces)> SelfSimilarityExamples { get; init; } = [];

    /// <summary>
    /// The two-sample test's inputs, one row of <see cref="PieceFeatures.Names"/> per piece, with each piece's
    /// feel (a generated piece's: the one it was written for): generated, held-out and the valid-split sample.
    /// Generated and held-out rows pair up: the i-th generated piece had the i-th held-out piece's conditioning
    /// (or, where the model lacks that piece's meter, a spare test piece's).
    /// </summary>
    public IReadOnlyList<(string Set, IReadOnlyList<double[]> Rows, IReadOnlyList<string> Feels)> PieceFeatureSets { get; init; } = [];

    public static double MeanOverlap(IReadOnlyList<FeatureComparison> comparisons) => comparisons.Average(c => c.OverlappingArea);
}
