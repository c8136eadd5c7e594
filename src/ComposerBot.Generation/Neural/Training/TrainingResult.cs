namespace ComposerBot.Generation.Neural.Training;

/// <summary>A finished run: the model (the caller owns and disposes it), its summary, and where it resumed from.</summary>
public sealed record TrainingResult(MusicTransformer Model, TrainingSummary Summary, int ResumedFromStep);
