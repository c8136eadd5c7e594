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

    public static double MeanOverlap(IReadOnlyList<FeatureComparison> comparisons) => comparisons.Average(c => c.OverlappingArea);
}
