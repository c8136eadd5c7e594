namespace ComposerBot.Evaluation;

/// <summary>
/// The neural model's negative log-likelihood of the held-out pieces (quantised to its token grid), per
/// token and per melody note, beside the n-gram baseline's per-note figure on the same pieces.
/// </summary>
public sealed record ModelLikelihood(string ModelId, int Pieces, double NllPerToken, double NllPerNote, double? NgramNllPerNote)
{
    /// <summary>How far below the baseline the model's per-note NLL is, in percent (positive: better).</summary>
    public double? ImprovementPercent => NgramNllPerNote is { } ngram && ngram > 0 ? 100 * (ngram - NllPerNote) / ngram : null;
}
