namespace ComposerBot.Evaluation;

/// <summary>A step of an evaluation and how far along it is, for progress bars.</summary>
public readonly record struct EvaluationStage(string Name, double Fraction);
