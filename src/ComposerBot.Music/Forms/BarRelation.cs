namespace ComposerBot.Music.Forms;

/// <summary>How a bar (or phrase) of a melody relates to an earlier one.</summary>
public enum BarRelation
{
    /// <summary>Like no earlier bar.</summary>
    New,

    /// <summary>The same onsets and the same pitches.</summary>
    Exact,

    /// <summary>The same onsets and intervals, all pitches moved by one interval: a sequence.</summary>
    Transposed,

    /// <summary>A close variation: at least 75% of the onsets shared and, at the shared onsets, at least 75% of the notes at one common interval.</summary>
    Variation,
}
