namespace ComposerBot.Music;

/// <summary>
/// A key as a MIDI key signature stores it: sharps (positive) or flats (negative), -7..7, and the mode.
/// </summary>
public readonly record struct KeySignature(int Sharps, KeyMode Mode)
{
    private static readonly string[] MajorNames = ["Cb", "Gb", "Db", "Ab", "Eb", "Bb", "F", "C", "G", "D", "A", "E", "B", "F#", "C#"];
    private static readonly string[] MinorNames = ["Ab", "Eb", "Bb", "F", "C", "G", "D", "A", "E", "B", "F#", "C#", "G#", "D#", "A#"];

    /// <summary>The pitch class of the tonic, 0 = C.</summary>
    public int Tonic => (((Sharps * 7) % 12) + 12 + (Mode == KeyMode.Minor ? 9 : 0)) % 12;

    public string Name => (Mode == KeyMode.Major ? MajorNames : MinorNames)[Sharps + 7] + (Mode == KeyMode.Major ? " major" : " minor");

    /// <summary>
    /// The key signature for a tonic pitch class and mode. Enharmonic keys are spelled as asked: with
    /// sharps (up to 7), with flats (up to 7), or by default with the fewest, F# rather than Gb.
    /// </summary>
    public static KeySignature FromTonic(int tonicPitchClass, KeyMode mode, Accidentals spelling = Accidentals.Fewest)
    {
        var majorTonic = ((tonicPitchClass % 12) + 12 + (mode == KeyMode.Minor ? 3 : 0)) % 12;
        // The circle of fifths: sharps = 7 * pitch class mod 12, folded to -5..6.
        var sharps = majorTonic * 7 % 12;
        if (sharps > 6)
        {
            sharps -= 12;
        }

        if (spelling == Accidentals.Sharps && sharps < 0 && sharps + 12 <= 7)
        {
            sharps += 12;
        }
        else if (spelling == Accidentals.Flats && sharps > 0 && sharps - 12 >= -7)
        {
            sharps -= 12;
        }

        return new KeySignature(sharps, mode);
    }

    /// <summary>Whether a MIDI pitch is in this key's scale (natural minor for minor keys).</summary>
    public bool Contains(int pitch)
    {
        var degree = (((pitch - Tonic) % 12) + 12) % 12;
        return Mode == KeyMode.Major ? degree is 0 or 2 or 4 or 5 or 7 or 9 or 11 : degree is 0 or 2 or 3 or 5 or 7 or 8 or 10;
    }

    public override string ToString() => Name;
}
