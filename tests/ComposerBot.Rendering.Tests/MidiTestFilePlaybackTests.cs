using ComposerBot.Music;
using ComposerBot.Music.Midi;
using ComposerBot.TestSupport;

namespace ComposerBot.Rendering.Tests;

/// <summary>
/// The public MIDI test files (jazz-soft/test-midi-files, MIT) that say what a listener must hear from
/// controllers, the pitch wheel, registered parameters and SysEx, rendered and listened to: the pitch of
/// each note by <see cref="PitchProbe"/>, a sound compared with the same notes played plainly.
/// </summary>
[Collection(SynthGroup.Name)]
public class MidiTestFilePlaybackTests(SynthFixture synth)
{
    // Every one of these files runs at 120 bpm with 96 ticks per quarter note: 192 ticks a second.
    private const double TicksPerSecond = 192;

    [Theory]
    [InlineData("test-rpn-00-02-coarse-tuning.mid")] // one key, retuned by registered parameter 2
    [InlineData("test-sysex-7f-04-04-master-coarse-tuning.mid")] // one key on eight channels, master coarse tuning
    public void One_key_retuned_note_by_note_plays_the_c_major_scale_the_file_asks_for(string name) =>
        AssertSteps(Render(name), 0, [0, 2, 4, 5, 7, 9, 11, 12]); // "You must hear a C-Major scale."

    [Fact]
    public void Fine_tuning_by_registered_parameter_plays_a_quarter_tone_scale()
    {
        // "You must hear a quarter-tone scale": E4 to B4 with each key played again on a channel tuned +50
        // cents. Each key against its own retuned self (the SoundFont's keys are not all in tune with each other).
        var audio = Render("test-rpn-00-01-fine-tuning.mid");
        for (var key = 0; key < 8; key++)
        {
            AssertSteps(audio, 192 * key, [0, 0.5]);
        }
    }

    [Fact]
    public void Master_fine_tuning_plays_a_quarter_tone_sequence() =>
        AssertSteps(Render("test-sysex-7f-04-03-master-fine-tuning.mid"), 0, [0, 0.5, 1, 1.5, 2]); // -100, -50, 0, +50, +100 cents

    [Fact]
    public void Scale_tuning_moves_every_other_pitch_class_up_and_down_in_all_four_formats()
    {
        // A plain chromatic scale, then the same scale under +62/-62 cents by pitch class (1-byte real-time,
        // 1-byte non-real-time, 2-byte real-time, 2-byte non-real-time), each reset to equal temperament.
        var audio = Render("test-sysex-7x-08-0x-scale-tuning.mid");
        double[] tuned = [.. Enumerable.Range(0, 13).Select(k => k + (k % 2 == 0 ? 0.62 : -0.62))];
        var plain = Pitch(audio, 0);
        foreach (var start in new[] { 1248, 2592, 3936, 5280 })
        {
            AssertSteps(audio, start, tuned, plain);
        }
    }

    [Fact]
    public void Gs_scale_tuning_moves_the_note_up_then_down()
    {
        // "+63 cents / -64 cents / +63 cents": the second note lies 1.27 semitones under the first and third.
        AssertSteps(Render("test-sysex-gs-40-1x-4x-scale-tuning.mid"), 0, [0, -1.27, 0]);
    }

    [Fact]
    public void The_pitch_wheel_bends_as_far_as_each_range_set_by_registered_parameter_0()
    {
        // An organ note per range, the wheel held fully down (ticks 287-337) and fully up (719-769). The
        // range's LSB is cents in the MIDI specification: "half semitone" is written as 0 semitones 64 cents.
        var audio = Render("test-rpn-00-00-pitch-bend-range.mid");
        double[] ranges = [2, 0.64, 12, 24];
        for (var section = 0; section < ranges.Length; section++)
        {
            var start = 1152 * section;
            var rest = PitchProbe.MidiPitch(audio.Samples, audio.SampleRate, (start + 20) / TicksPerSecond, (start + 90) / TicksPerSecond);
            var up = PitchProbe.MidiPitch(audio.Samples, audio.SampleRate, (start + 725) / TicksPerSecond, (start + 765) / TicksPerSecond);
            Assert.True(Math.Abs(up - rest - ranges[section]) < 0.25, $"range {ranges[section]}: bent up by {up - rest:0.00} semitones");
            if (ranges[section] <= 2)
            {
                var down = PitchProbe.MidiPitch(audio.Samples, audio.SampleRate, (start + 292) / TicksPerSecond, (start + 332) / TicksPerSecond);
                Assert.True(Math.Abs(rest - down - ranges[section]) < 0.25, $"range {ranges[section]}: bent down by {rest - down:0.00} semitones");
            }
        }
    }

    [Fact]
    public void The_damper_pedal_holds_released_notes()
    {
        // "Two sequences must sound different": the same four notes, released after a beat, the second time
        // with the pedal down, so they ring on after their release where the first ones have died away.
        var audio = Render("test-control-40-damper.mid");
        var free = Rms(audio, 400, 560);
        var held = Rms(audio, 864 + 400, 864 + 560);
        Assert.True(held > 5 * free, $"after release: {held:0.0000} with the pedal, {free:0.0000} without");
    }

    [Fact]
    public void Portamento_switched_on_glides_between_the_notes_and_only_there()
    {
        // "Two sequences must sound different": against the file without its portamento switch, the first
        // sequence (switch off) is the same sound and the second (switch on) is not.
        var score = MidiFileReader.Read(Path.Combine(RepositoryPaths.MidiTestFiles, "test-control-41-portamento.mid"));
        var withSwitch = synth.Synthesizer().Render(score);
        var withoutSwitch = synth.Synthesizer().Render(score with
        {
            Tracks = score.Tracks.Select(t => t with { Controls = t.Controls.Where(c => c.Number != 65).ToValueList() }).ToValueList(),
        });
        Assert.True(Difference(withSwitch, withoutSwitch, 0, 480) < 0.01, "portamento off changed the first sequence");
        Assert.True(Difference(withSwitch, withoutSwitch, 864, 1344) > 0.3, "portamento on did not change the second sequence");
    }

    [Fact]
    public void Portamento_control_glides_up_from_the_key_it_names()
    {
        // "You must hear a cool portamento effect": controller 84 names key 48, then C5 glides up from there.
        var audio = Render("test-control-54-portamento-control.mid");
        var early = PitchProbe.MidiPitch(audio.Samples, audio.SampleRate, 0.2, 0.5);
        var late = PitchProbe.MidiPitch(audio.Samples, audio.SampleRate, 2.0, 2.4);
        Assert.InRange(early, 47, 55);
        Assert.True(late > early + 1, $"no glide: {early:0.00} then {late:0.00}");
    }

    [Theory]
    [InlineData("test-control-00-20-bank-select.mid")] // channel 1 made a drum kit by bank select 120 (GM2)
    [InlineData("test-sysex-gs-40-1x-15-drum-part-change.mid")] // channel 1 made a drum part by a GS SysEx
    public void A_melodic_channel_made_a_drum_kit_plays_drums_and_channel_10_made_melodic_plays_the_tune(string name)
    {
        var score = MidiFileReader.Read(Path.Combine(RepositoryPaths.MidiTestFiles, name));
        var audio = synth.Synthesizer().Render(score);

        // The first four notes sound exactly as the same notes on a drum track do.
        var first = score.Tracks.Single(t => t.Channel == 0);
        var drums = new Score(score.TempoMap, [new Track("", 0, Track.DrumChannel, true, first.Notes)]);
        Assert.True(Difference(audio, synth.Synthesizer().Render(drums), 0, 480) < 0.05, "channel 1 does not sound like the drum kit");

        // The last four, on channel 10, are a major arpeggio (C E G C) as a melodic instrument plays it.
        AssertSteps(audio, 576, [0, 4, 7, 12]);
    }

    [Fact]
    public void A_program_change_between_notes_changes_the_instrument_from_there_on()
    {
        var tempo = TempoMap.Constant(480, 120);
        var notes = ValueList.Of(new Note(60, 0, 480, 100), new Note(60, 1920, 480, 100));
        var changing = new Track("", 0, 0, false, notes) { Controls = ValueList.Of(ChannelControl.Program(960, 40)) };
        var audio = synth.Synthesizer().Render(new Score(tempo, [changing]));
        var piano = synth.Synthesizer().Render(new Score(tempo, [new Track("", 0, 0, false, notes)]));
        var violin = synth.Synthesizer().Render(new Score(tempo, [new Track("", 40, 0, false, notes)]));
        Assert.True(Difference(audio, piano, 0, 480 * TicksPerSecond / 480) < 0.01, "the first note is not the piano's");
        Assert.True(Difference(audio, violin, 2 * TicksPerSecond, 3 * TicksPerSecond) < 0.01, "the second note is not the violin's");
        Assert.True(Difference(audio, piano, 2 * TicksPerSecond, 3 * TicksPerSecond) > 0.3, "the second note is still the piano's");
    }

    [Fact]
    public void A_tenth_melodic_track_plays_its_instrument_not_the_drum_kit()
    {
        // Synthesizer channel 9 is FluidSynth's drum channel unless told otherwise.
        var tracks = Enumerable.Range(0, 10).Select(i => new Track($"part {i}", 0, i + 1, false,
            i == 9 ? ValueList.Of(new Note(69, 0, 960, 100)) : ValueList.Of<Note>()));
        var audio = synth.Synthesizer().Render(new Score(TempoMap.Constant(480, 120), tracks));
        Assert.InRange(PitchProbe.MidiPitch(audio.Samples, audio.SampleRate, 0.2, 0.6), 68.7, 69.5);
    }

    private AudioBuffer Render(string name) => synth.Synthesizer().Render(MidiFileReader.Read(Path.Combine(RepositoryPaths.MidiTestFiles, name)));

    /// <summary>The pitch of the note struck at a tick (a window in its middle: the attack and release left out).</summary>
    private static double Pitch(AudioBuffer audio, long tick) => PitchProbe.MidiPitch(audio.Samples, audio.SampleRate, (tick + 30) / TicksPerSecond, (tick + 90) / TicksPerSecond);

    /// <summary>Notes a beat (96 ticks) apart from <paramref name="start"/> lie the given semitones from the first (or from <paramref name="reference"/>).</summary>
    private static void AssertSteps(AudioBuffer audio, long start, double[] steps, double? reference = null)
    {
        var pitches = steps.Select((_, k) => Pitch(audio, start + (96 * k))).ToArray();
        var basis = reference ?? pitches[0] - steps[0];
        var heard = string.Join(" ", pitches.Select(p => $"{p - basis:0.00}"));
        for (var k = 0; k < steps.Length; k++)
        {
            Assert.True(Math.Abs(pitches[k] - basis - steps[k]) < 0.2, $"expected {string.Join(" ", steps)}, heard {heard}");
        }
    }

    private static double Rms(AudioBuffer audio, double fromTick, double toTick)
    {
        var (from, to) = (Frame(audio, fromTick), Frame(audio, toTick));
        return Math.Sqrt(audio.Samples[(2 * from)..(2 * to)].Average(x => (double)x * x));
    }

    /// <summary>How far two renders differ between two ticks, relative to the first one's level.</summary>
    private static double Difference(AudioBuffer a, AudioBuffer b, double fromTick, double toTick)
    {
        var (from, to) = (2 * Frame(a, fromTick), 2 * Math.Min(Frame(a, toTick), Math.Min(a.Samples.Length, b.Samples.Length) / 2));
        double difference = 0, level = 0;
        for (var i = from; i < to; i++)
        {
            difference += Math.Pow(a.Samples[i] - b.Samples[i], 2);
            level += Math.Pow(a.Samples[i], 2);
        }

        return Math.Sqrt(difference / level);
    }

    private static int Frame(AudioBuffer audio, double tick) => (int)(tick / TicksPerSecond * audio.SampleRate);
}
