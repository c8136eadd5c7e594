namespace ComposerBot.Composition.Requests;

/// <summary>How the harmony part plays the chords.</summary>
public enum CompingPattern
{
    /// <summary>Chord tones one after another in 16ths (chiptune).</summary>
    Arpeggio,

    /// <summary>Whole chords held for the slot (pads, strings).</summary>
    Sustained,

    /// <summary>Chords struck on the beats (lo-fi keys).</summary>
    Block,

    /// <summary>Root, fifth and octave in driving 8ths (rock).</summary>
    PowerEighths,

    /// <summary>Low note then the upper chord tones in turn (solo piano).</summary>
    Broken,

    /// <summary>Strummed chords on the beat groups (folk guitar).</summary>
    Strum,
}
