using ComposerBot.Composition.Planning;
using ComposerBot.Composition.Requests;
using ComposerBot.Music;
using ComposerBot.Music.LeadSheets;

namespace ComposerBot.Composition.Arrangement;

/// <summary>
/// Turns a lead sheet into a multi-track score in the request's style: melody, harmony (comping), bass
/// and drums, with the style's instruments, patterns, voicings and dynamics following the plan's energy,
/// then seeded humanisation of timing and velocity. Track names are the stem groups.
/// </summary>
public static class Arranger
{
    public const int Ppq = 480;
    private const int Scale = Ppq / LeadSheet.Resolution;

    public static Score Arrange(LeadSheet sheet, FormPlan plan)
    {
        var request = plan.Request;
        var profile = request.Profile;
        var meter = plan.Meter;
        var bar = meter.TicksPerBar(Ppq);
        var end = plan.Bars * bar;
        var random = new Random(StableSeed.Combine(request.Seed, 0x5eed));
        var context = new ArrangementContext(plan, sheet, bar, Pulse(meter), end, random);

        var melody = new PartWriter(end);
        foreach (var note in sheet.Melody)
        {
            var start = note.Start * Scale;
            var section = plan.SectionAt((int)(start / bar));
            if (section.Name == "intro")
            {
                continue;
            }

            melody.Add(note.Pitch + MelodyOctaveShift(request.Style), start, note.Duration * Scale, context.Velocity(start, accent: 8));
        }

        var harmony = new PartWriter(end);
        var bass = new PartWriter(end);
        var voicer = new Voicer(melody.Notes);
        foreach (var span in sheet.Chords)
        {
            var chord = profile.SeventhChords ? WithSeventh(span.Chord) : span.Chord;
            var start = span.Start * Scale;
            var length = span.Duration * Scale;
            Comping.Play(profile.Comping, chord, start, length, context, harmony, voicer);
            BassLine.Play(profile.Bass, chord, NextRoot(sheet, span), start, length, context, bass);
        }

        // The bass under the tune too: a low melody note sends a bass note that would crowd it an octave down.
        bass.MakeWayFor(melody.Notes, lowest: 28);
        var tracks = new List<Track>
        {
            Part("Melody", request.Instruments[InstrumentRole.Melody], 0, false, melody, context, swing: profile.Swing),
            Part("Harmony", request.Instruments[InstrumentRole.Harmony], 1, false, harmony, context, swing: profile.Swing),
            Part("Bass", request.Instruments[InstrumentRole.Bass], 2, false, bass, context, swing: 0),
        };

        if (request.Drums)
        {
            var drums = new PartWriter(end);
            Drums.Play(profile.DrumPattern, context, drums);
            tracks.Add(Part("Drums", profile.DrumKit, Track.DrumChannel, true, drums, context, swing: profile.Swing));
        }

        return new Score(TempoMap.Constant(Ppq, plan.Tempo), tracks.Where(t => t.Notes.Count > 0), [meter], sheet.Key);
    }

    /// <summary>The felt beat: a dotted quarter in compound meters (6/8, 9/8, 12/8), else the written beat.</summary>
    public static long Pulse(MeterChange meter) =>
        meter.Denominator == 8 && meter.Numerator % 3 == 0 ? meter.TicksPerBeat(Ppq) * 3 : meter.TicksPerBeat(Ppq);

    private static int MelodyOctaveShift(Style style) => style is Style.Chiptune ? 12 : 0;

    private static Chord WithSeventh(Chord chord) => chord.Quality switch
    {
        ChordQuality.Major => chord with { Quality = ChordQuality.Major7 },
        ChordQuality.Minor => chord with { Quality = ChordQuality.Minor7 },
        _ => chord,
    };

    private static int NextRoot(LeadSheet sheet, ChordSpan span)
    {
        var index = sheet.Chords.AsImmutableArray().IndexOf(span);
        return sheet.Chords[(index + 1) % sheet.Chords.Count].Chord.Root;
    }

    /// <summary>Humanises a part (seeded), swings its off-beat 8ths, and makes it a track.</summary>
    private static Track Part(string name, int program, int channel, bool drum, PartWriter part, ArrangementContext context, double swing)
    {
        var timing = drum ? 4 : 9;
        var notes = part.Notes.Select(n =>
        {
            var start = n.Start;
            var eighth = context.Pulse / 2;
            if (swing > 0 && start % context.Pulse == eighth)
            {
                start += (long)(swing * eighth);
            }

            // No jitter on the very first tick or on a stinger's final hit, which must land exactly.
            var fixedPoint = start == 0 || (context.Plan.Request.Stinger && start >= context.End - context.Bar);
            var jitter = fixedPoint ? 0 : context.Random.Next(-timing, timing + 1);
            var velocity = Math.Clamp(n.Velocity + context.Random.Next(-6, 7), 1, 127);
            start = Math.Clamp(start + jitter, 0, context.End - 1);
            return n with { Start = start, Duration = Math.Max(1, Math.Min(n.Duration, context.End - start)), Velocity = velocity };
        });
        var request = context.Plan.Request;
        return new Track(name, program, channel, drum, Track.Sort(notes))
        {
            Controls = StyleMix.For(request.Style, name).Controls().Concat(StyleMix.ChipVoices(context.Plan, name, program, context.Bar)).ToValueList(),
        };
    }
}
