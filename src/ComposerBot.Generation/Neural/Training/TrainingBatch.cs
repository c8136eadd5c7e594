namespace ComposerBot.Generation.Neural.Training;

/// <summary>Rows of equal (padded) length: inputs and the targets to score, Pad where nothing is scored.</summary>
internal sealed record TrainingBatch(long[] Inputs, long[] Targets, int Rows, int Length)
{
    public int ScoredTokens => Targets.Count(t => t != 0);
}
