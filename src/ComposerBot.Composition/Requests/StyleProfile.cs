using ComposerBot.Music;

namespace ComposerBot.Composition.Requests;

/// <summary>How a style sounds by default: instruments, tempo, meter, mode, and how its parts are played.</summary>
public sealed record StyleProfile(
    Style Style,
    (double Low, double High) TempoRange,
    MeterChange DefaultMeter,
    double DefaultSeconds,
    IReadOnlyDictionary<InstrumentRole, int> Instruments,
    bool HasDrums,
    int DrumKit,
    CompingPattern Comping,
    BassPattern Bass,
    DrumPattern DrumPattern,
    bool SeventhChords,
    double Swing,
    (int Low, int High) Velocity)
{
    private static readonly Dictionary<Style, StyleProfile> Profiles = new()
    {
        [Style.Chiptune] = new(Style.Chiptune, (130, 170), new MeterChange(0, 4, 4), 45,
            Programs(melody: ChipPresets.PulseProgram, harmony: ChipPresets.PulseProgram, bass: ChipPresets.TriangleProgram), true, ChipPresets.NoiseKitProgram, CompingPattern.Arpeggio, BassPattern.Octaves, DrumPattern.Chip, false, 0, (80, 118)),
        [Style.Orchestral] = new(Style.Orchestral, (70, 110), new MeterChange(0, 4, 4), 60,
            Programs(melody: 40, harmony: 48, bass: 43), true, 48, CompingPattern.Sustained, BassPattern.RootFifth, DrumPattern.Orchestral, false, 0, (55, 120)),
        [Style.LoFi] = new(Style.LoFi, (70, 88), new MeterChange(0, 4, 4), 60,
            Programs(melody: 11, harmony: 4, bass: 33), true, 0, CompingPattern.Block, BassPattern.Walking, DrumPattern.LoFi, true, 0.33, (45, 90)),
        [Style.Rock] = new(Style.Rock, (120, 160), new MeterChange(0, 4, 4), 45,
            Programs(melody: 29, harmony: 30, bass: 34), true, 0, CompingPattern.PowerEighths, BassPattern.Pulse, DrumPattern.Rock, false, 0, (80, 124)),
        [Style.Ambient] = new(Style.Ambient, (56, 76), new MeterChange(0, 4, 4), 60,
            Programs(melody: 88, harmony: 89, bass: 89), false, 0, CompingPattern.Sustained, BassPattern.Drone, DrumPattern.None, true, 0, (40, 85)),
        [Style.Piano] = new(Style.Piano, (72, 110), new MeterChange(0, 4, 4), 45,
            Programs(melody: 0, harmony: 0, bass: 0), false, 0, CompingPattern.Broken, BassPattern.RootFifth, DrumPattern.None, false, 0, (50, 100)),
        [Style.Folk] = new(Style.Folk, (100, 132), new MeterChange(0, 6, 8), 45,
            Programs(melody: 110, harmony: 24, bass: 32), true, 0, CompingPattern.Strum, BassPattern.RootFifth, DrumPattern.Folk, false, 0, (70, 112)),
        [Style.Synthwave] = new(Style.Synthwave, (96, 118), new MeterChange(0, 4, 4), 60,
            Programs(melody: 81, harmony: 90, bass: 38), true, 25, CompingPattern.Sustained, BassPattern.Pulse, DrumPattern.Synthwave, true, 0, (75, 115)),
    };

    public static StyleProfile For(Style style) => Profiles[style];

    /// <summary>Every style's profile.</summary>
    public static IEnumerable<StyleProfile> All => Profiles.Values;

    public static string Name(Style style) => style switch
    {
        Style.LoFi => "lo-fi",
        _ => style.ToString().ToLowerInvariant(),
    };

    /// <summary>Minor for dark, sad and tense moods; major otherwise.</summary>
    public static KeyMode ModeFor(Mood mood) => mood is Mood.Sad or Mood.Tense or Mood.Dark or Mood.Epic ? KeyMode.Minor : KeyMode.Major;

    /// <summary>Faster for energetic moods, slower for calm ones, inside the style's range.</summary>
    public double TempoFor(Mood mood)
    {
        var position = mood switch
        {
            Mood.Calm or Mood.Sad or Mood.Dreamy => 0.1,
            Mood.Dark => 0.35,
            Mood.Neutral or Mood.Happy => 0.5,
            Mood.Playful => 0.7,
            Mood.Tense or Mood.Epic or Mood.Triumphant => 0.9,
            _ => 0.5,
        };
        return Math.Round(TempoRange.Low + (position * (TempoRange.High - TempoRange.Low)));
    }

    /// <summary>A tonic chosen by the seed among keys that sit well for the style's instruments.</summary>
    public static int DefaultTonic(KeyMode mode, int seed)
    {
        int[] tonics = mode == KeyMode.Major ? [0, 2, 5, 7, 9] : [2, 4, 7, 9, 0];
        return tonics[(int)((uint)seed % tonics.Length)];
    }

    private static Dictionary<InstrumentRole, int> Programs(int melody, int harmony, int bass) =>
        new() { [InstrumentRole.Melody] = melody, [InstrumentRole.Harmony] = harmony, [InstrumentRole.Bass] = bass };
}
