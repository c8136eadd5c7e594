namespace ComposerBot.Music.LeadSheets;

/// <summary>A chord symbol: root pitch class (0 = C) and quality.</summary>
public readonly record struct Chord(int Root, ChordQuality Quality)
{
    private static readonly string[] RootNames = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"];

    /// <summary>Intervals above the root of each quality's chord tones.</summary>
    public static int[] Intervals(ChordQuality quality) => quality switch
    {
        ChordQuality.Major => [0, 4, 7],
        ChordQuality.Minor => [0, 3, 7],
        ChordQuality.Diminished => [0, 3, 6],
        ChordQuality.Augmented => [0, 4, 8],
        ChordQuality.Suspended4 => [0, 5, 7],
        ChordQuality.Dominant7 => [0, 4, 7, 10],
        ChordQuality.Major7 => [0, 4, 7, 11],
        ChordQuality.Minor7 => [0, 3, 7, 10],
        _ => throw new ArgumentOutOfRangeException(nameof(quality)),
    };

    public IEnumerable<int> PitchClasses
    {
        get
        {
            var root = Root;
            return Intervals(Quality).Select(i => (root + i) % 12);
        }
    }

    /// <summary>The chord in close root position with its root in the octave starting at <paramref name="lowestRoot"/>.</summary>
    public IEnumerable<int> Voicing(int lowestRoot = 48)
    {
        var root = lowestRoot + Root;
        return Intervals(Quality).Select(i => root + i);
    }

    public bool Contains(int pitch) => PitchClasses.Contains(((pitch % 12) + 12) % 12);

    public Chord Transpose(int semitones) => this with { Root = (((Root + semitones) % 12) + 12) % 12 };

    public string Name => RootNames[Root] + Quality switch
    {
        ChordQuality.Major => "",
        ChordQuality.Minor => "m",
        ChordQuality.Diminished => "dim",
        ChordQuality.Augmented => "aug",
        ChordQuality.Suspended4 => "sus4",
        ChordQuality.Dominant7 => "7",
        ChordQuality.Major7 => "maj7",
        ChordQuality.Minor7 => "m7",
        _ => "?",
    };

    public override string ToString() => Name;
}
