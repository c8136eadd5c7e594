using ComposerBot.Music.LeadSheets;

namespace ComposerBot.Corpus;

/// <summary>One piece of the corpus with its metadata and extracted lead sheet.</summary>
public sealed record CorpusPiece(string Dataset, string File, Split Split, string Title, string Type, LeadSheet LeadSheet);
