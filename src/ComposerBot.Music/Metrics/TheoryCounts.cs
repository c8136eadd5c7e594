namespace ComposerBot.Music.Metrics;

/// <summary>The music-theory tallies of one melody (evaluation.md section A), before aggregation.</summary>
public sealed record TheoryCounts(
    int Notes,
    int ExcessivelyRepeated,
    int NotInKey,
    bool StartsWithTonic,
    int Leaps,
    int ResolvedLeaps,
    bool UniqueMax,
    bool UniqueMin,
    int NotesInMotif,
    int NotesInRepeatedMotif,
    double[] Autocorrelation);
