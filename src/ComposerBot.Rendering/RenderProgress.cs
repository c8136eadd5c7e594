namespace ComposerBot.Rendering;

/// <summary>How far a render has got: the phase and the fraction of that phase done.</summary>
public readonly record struct RenderProgress(RenderPhase Phase, double Fraction);
