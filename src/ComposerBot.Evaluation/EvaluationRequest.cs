namespace ComposerBot.Evaluation;

/// <summary>What <c>evaluate</c> was asked to do.</summary>
public sealed record EvaluationRequest(GeneratorKind Generator, int Count, string OutputDirectory, string CorpusPath, string CacheDirectory)
{
    public int Seed { get; init; } = 1;
}
