using ComposerBot.Music.LeadSheets;

namespace ComposerBot.Generation.Neural.Training;

/// <summary>A lead sheet to learn from, with its feel (the tune type from the corpus metadata, or "other").</summary>
public sealed record TrainingPiece(LeadSheet Sheet, string Feel);
