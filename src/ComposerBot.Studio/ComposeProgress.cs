namespace ComposerBot.Studio;

/// <summary>The steps of making one track, in order.</summary>
public enum ComposePhase
{
    Planning,
    Generating,
    Synthesizing,
    Normalizing,
    Encoding,
    Drawing,
}

/// <summary>How far a track has got: the step and the fraction of that step done.</summary>
public readonly record struct ComposeProgress(ComposePhase Phase, double Fraction);
