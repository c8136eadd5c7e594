using ComposerBot.Composition.Planning;
using ComposerBot.Composition.Requests;
using ComposerBot.Music;

namespace ComposerBot.Composition.Arrangement;

/// <summary>One part's place in the mix, as MIDI controllers: volume (7), pan (10, 64 centre), reverb (91) and chorus (93) sends.</summary>
public readonly record struct PartMix(int Volume, int Pan, int Reverb, int Chorus)
{
    public const int VolumeController = 7, PanController = 10, ReverbController = 91, ChorusController = 93;

    /// <summary>The four controllers at tick 0, before the first note.</summary>
    public IEnumerable<ChannelControl> Controls() =>
    [
        ChannelControl.Controller(0, VolumeController, Volume),
        ChannelControl.Controller(0, PanController, Pan),
        ChannelControl.Controller(0, ReverbController, Reverb),
        ChannelControl.Controller(0, ChorusController, Chorus),
    ];
}

/// <summary>
/// Each style's mix of its four parts: the tune loudest and in front (dry enough to be heard), the
/// accompaniment beside it and under it, the bass in the centre with little reverb, each style its own
/// room (chiptune almost dry, ambient washed, orchestral in a hall). These go into the score as controllers,
/// so the MIDI file carries the same mix.
/// </summary>
public static class StyleMix
{
    private static readonly Dictionary<Style, Dictionary<string, PartMix>> Mixes = new()
    {
        [Style.Chiptune] = Parts(melody: new(104, 64, 8, 0), harmony: new(78, 44, 8, 0), bass: new(100, 64, 0, 0), drums: new(90, 64, 6, 0)),
        [Style.Orchestral] = Parts(melody: new(104, 56, 60, 0), harmony: new(84, 74, 72, 16), bass: new(92, 82, 56, 0), drums: new(86, 64, 64, 0)),
        [Style.LoFi] = Parts(melody: new(100, 72, 40, 24), harmony: new(80, 50, 34, 40), bass: new(98, 64, 8, 0), drums: new(88, 64, 18, 0)),
        [Style.Rock] = Parts(melody: new(104, 58, 28, 0), harmony: new(84, 28, 18, 0), bass: new(100, 64, 4, 0), drums: new(96, 64, 22, 0)),
        [Style.Ambient] = Parts(melody: new(100, 64, 96, 56), harmony: new(80, 48, 104, 64), bass: new(86, 78, 84, 24), drums: new(80, 64, 80, 0)),
        [Style.Piano] = Parts(melody: new(104, 70, 40, 0), harmony: new(86, 58, 40, 0), bass: new(90, 50, 40, 0), drums: new(80, 64, 30, 0)),
        [Style.Folk] = Parts(melody: new(104, 72, 36, 0), harmony: new(82, 44, 28, 12), bass: new(92, 60, 16, 0), drums: new(84, 64, 28, 0)),
        [Style.Synthwave] = Parts(melody: new(102, 64, 52, 36), harmony: new(80, 64, 68, 60), bass: new(100, 64, 8, 0), drums: new(92, 64, 32, 0)),
    };

    /// <summary>The mix of a part (by its track name: Melody, Harmony, Bass, Drums) in a style.</summary>
    public static PartMix For(Style style, string part) => Mixes[style][part];

    /// <summary>
    /// The chip voices a chiptune part plays, section by section, as a chip musician switches duty: the
    /// tune on the 25% pulse, brighter (50%) in the contrasting section and thinner (12.5%) in the intro and
    /// ending; the arpeggios on the thin 12.5% pulse; the bass on the 4-bit triangle. A part whose instrument
    /// was overridden keeps that instrument. Empty for other styles.
    /// </summary>
    public static IEnumerable<ChannelControl> ChipVoices(FormPlan plan, string part, int program, long ticksPerBar)
    {
        if (plan.Request.Style != Style.Chiptune)
        {
            return [];
        }

        var profile = StyleProfile.For(Style.Chiptune);
        switch (part)
        {
            case "Melody" when program == profile.Instruments[InstrumentRole.Melody]:
                return plan.Sections.SelectMany(s => ChipPresets.Select(s.StartBar * ticksPerBar, ChipPresets.PulseBankFor(s.Name switch
                {
                    "B" => 0.5,
                    "intro" or "ending" or "hit" => 0.125,
                    _ => 0.25,
                }), ChipPresets.PulseProgram));
            case "Harmony" when program == profile.Instruments[InstrumentRole.Harmony]:
                return ChipPresets.Select(0, ChipPresets.PulseBankFor(0.125), ChipPresets.PulseProgram);
            case "Bass" when program == profile.Instruments[InstrumentRole.Bass]:
                return ChipPresets.Select(0, ChipPresets.TriangleBank, ChipPresets.TriangleProgram);
            default:
                return [];
        }
    }

    private static Dictionary<string, PartMix> Parts(PartMix melody, PartMix harmony, PartMix bass, PartMix drums) =>
        new() { ["Melody"] = melody, ["Harmony"] = harmony, ["Bass"] = bass, ["Drums"] = drums };
}
