namespace ComposerBot.Music.Metrics;

/// <summary>
/// The music-theory tallies of one melody (evaluation.md section A), before aggregation. Leaps are counted
/// two ways: <see cref="LeapsSteppedBack"/> are leaps the very next note answers by a step the other way (the
/// strict rule the tuner rewards and the classifier sees); <see cref="LeapsResolved"/> and
/// <see cref="LeapsDoubled"/> are RL Tuner's own evaluation (<see cref="TheoryProfile.LeapOutcomes"/>).
/// </summary>
public sealed record TheoryCounts(
    int Notes,
    int ExcessivelyRepeated,
    int NotInKey,
    bool StartsWithTonic,
    int Leaps,
    int LeapsSteppedBack,
    bool UniqueMax,
    bool UniqueMin,
    int NotesInMotif,
    int NotesInRepeatedMotif,
    double[] Autocorrelation,
    int LeapsResolved = 0,
    int LeapsDoubled = 0);
