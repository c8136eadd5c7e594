namespace ComposerBot.Music.Metrics;

/// <summary>What a melody note did to the leap RL Tuner's evaluation follows (<see cref="OpenLeap"/>).</summary>
public enum LeapMove
{
    /// <summary>No leap, and none came back.</summary>
    None,

    /// <summary>A leap with none open: it opens.</summary>
    Opened,

    /// <summary>A second leap the same way as the open one: doubled, and it stays open.</summary>
    Doubled,

    /// <summary>A leap the other way: it closes the open one (resolving it only after enough steps).</summary>
    LeptBack,

    /// <summary>No leap, but back to or past the note the open leap left: resolved.</summary>
    Returned,
}

/// <summary>
/// The leap a melody has left open, as RL Tuner follows it (magenta rl_tuner.py, <c>detect_leap_up_back</c>):
/// its direction (0: none open) and the note it leapt from. <see cref="TheoryProfile.LeapOutcomes"/> counts
/// with it and <c>DecodingGrammar</c> samples by it, so the two keep one rule.
/// </summary>
public readonly record struct OpenLeap(int Direction, int From)
{
    /// <summary>Whether the step from <paramref name="previous"/> to <paramref name="pitch"/> is a leap: a fifth or more.</summary>
    public static bool IsLeap(int previous, int pitch) => Math.Abs(pitch - previous) >= TheoryProfile.LeapSemitones;

    /// <summary>Whether that step would be a second leap the same way as the open one.</summary>
    public bool Doubles(int previous, int pitch) => Direction != 0 && IsLeap(previous, pitch) && Math.Sign(pitch - previous) == Direction;

    /// <summary>The open leap after a note, and what the note did.</summary>
    public (OpenLeap Next, LeapMove Move) After(int previous, int pitch)
    {
        if (IsLeap(previous, pitch))
        {
            var way = Math.Sign(pitch - previous);
            return Direction == 0 ? (new OpenLeap(way, previous), LeapMove.Opened)
                : Direction != way ? (default, LeapMove.LeptBack)
                : (this, LeapMove.Doubled);
        }

        return (Direction > 0 && pitch <= From) || (Direction < 0 && pitch >= From) ? (default, LeapMove.Returned) : (this, LeapMove.None);
    }
}
