using ComposerBot.Music.Midi;
using ComposerBot.TestSupport;

namespace ComposerBot.Music.Tests;

/// <summary>What a MIDI file says between its notes is read and kept with the parts it concerns.</summary>
public class ChannelControlReadingTests
{
    private static Score Read(string name) => MidiFileReader.Read(Path.Combine(RepositoryPaths.MidiTestFiles, name));

    [Fact]
    public void Registered_parameters_and_the_pitch_wheel_are_kept_in_order_with_their_values()
    {
        var rpn = Read("test-rpn-00-02-coarse-tuning.mid").Tracks.Single();
        Assert.Equal(
            [(101, 0), (100, 2), (6, 64), (101, 0), (100, 2), (6, 66)],
            rpn.Controls.Take(6).Select(c => (c.Number, c.Value)));
        Assert.Equal(27, rpn.Controls.Count); // nine retunings of three controllers each

        var bends = Read("test-rpn-00-00-pitch-bend-range.mid").Tracks.Single().Controls.Where(c => c.Kind == ChannelControlKind.PitchBend).ToList();
        Assert.Equal(3840, bends.Count);
        Assert.Equal(8192, bends[0].Value); // 00 40: the wheel in the middle
        Assert.Contains(bends, b => b.Value == 16383);
        Assert.Contains(bends, b => b.Value == 0);
    }

    [Fact]
    public void Controls_of_a_channel_reach_its_parts_in_every_track_and_later_program_changes_are_kept()
    {
        // A conductor track sets channel 1's program and pedal; the notes are in another track.
        var bytes = new RawMidi()
            .Track(t => t.Program(0, 40).Controller(0, 64, 127).At(480).Controller(0, 64, 0))
            .Track(t => t.NoteOn(0, 60, 90).At(240).Program(0, 41).At(480).NoteOff(0, 60))
            .ToBytes();
        var part = MidiFileReader.Read(bytes).Tracks.Single();
        Assert.Equal(40, part.Program);
        Assert.Equal([ChannelControl.Controller(0, 64, 127), ChannelControl.Program(240, 41), ChannelControl.Controller(480, 64, 0)], part.Controls);
    }

    [Fact]
    public void A_score_written_and_read_back_keeps_its_controls_a_bank_select_and_its_program_change_included()
    {
        var band = TestScores.Band(4);
        var controls = ValueList.From<ChannelControl>(
        [
            ChannelControl.Controller(0, 7, 100), ChannelControl.Controller(0, 10, 40), ChannelControl.Controller(0, 91, 30),
            .. ChipPresets.Select(0, ChipPresets.PulseBankFor(0.25), ChipPresets.PulseProgram),
            .. ChipPresets.Select(960, ChipPresets.PulseBankFor(0.5), ChipPresets.PulseProgram),
            ChannelControl.PitchBend(1000, 9000),
        ]);
        var score = band with { Tracks = ValueList.From<Track>([band.Tracks[0] with { Program = ChipPresets.PulseProgram, Controls = controls }, .. band.Tracks.Skip(1)]) };
        var read = MidiFileReader.Read(MidiFileWriter.ToBytes(score));
        Assert.Equal(controls, read.Tracks[0].Controls);
        Assert.Equal(score.Tracks.Select(t => t.Program), read.Tracks.Select(t => t.Program));
    }

    [Fact]
    public void A_score_written_and_read_back_has_no_controls_but_its_programs()
    {
        var score = MidiFileReader.Read(MidiFileWriter.ToBytes(TestScores.Band(4)));
        Assert.All(score.Tracks, t => Assert.Empty(t.Controls));
        Assert.Equal(TestScores.Band(4).Tracks.Select(t => t.Program), score.Tracks.Select(t => t.Program));
    }

    [Fact]
    public void A_sysex_split_into_packets_is_joined_and_an_escape_is_not_a_message()
    {
        var bytes = new RawMidi()
            .Track(t => t
                .SystemExclusive(0xF0, 0x7F, 0x7F, 0x04) // continued...
                .At(10).SystemExclusive(0xF7, 0x04, 0x00, 0x42, 0xF7) // ...and ended: master coarse tuning +2
                .At(20).SystemExclusive(0xF7, 0xF8) // an escape (a real-time byte for a device), nothing to continue
                .At(30).SystemExclusive(0xF0, 0x7E, 0x7F, 0x09, 0x01, 0xF7)
                .NoteOn(0, 60, 90).At(480).NoteOff(0, 60))
            .ToBytes();
        var score = MidiFileReader.Read(bytes);
        Assert.Equal(2, score.SystemExclusives.Count);
        Assert.Equal(0, score.SystemExclusives[0].Tick);
        Assert.Equal(new SysExMessage.MasterCoarseTuning(2), SysExMessage.Parse([.. score.SystemExclusives[0].Data]));
        Assert.Equal(new SysExMessage.Reset("GM"), SysExMessage.Parse([.. score.SystemExclusives[1].Data]));
    }

    [Fact]
    public void The_sysex_messages_of_the_test_files_read_as_what_their_texts_say()
    {
        static SysExMessage?[] Messages(string name) =>
            [.. MidiFileReader.Read(Path.Combine(RepositoryPaths.MidiTestFiles, name)).SystemExclusives.Select(m => SysExMessage.Parse([.. m.Data]))];

        Assert.Equal(new SysExMessage.Reset("GM2"), Messages("test-sysex-7e-09-03-gm2-enable.mid").Single());
        Assert.Equal(new SysExMessage.Reset("GM off"), Messages("test-sysex-7e-09-02-gm-disable.mid").Single());
        Assert.Null(Messages("test-sysex-7e-06-01-id-request.mid").Single()); // an identity request: nothing to play

        var fine = Messages("test-sysex-7f-04-03-master-fine-tuning.mid").OfType<SysExMessage.MasterFineTuning>().Select(m => m.Cents);
        Assert.Equal([-100, -50, 0, 50, 99.99, 0], fine.Select(c => Math.Round(c, 2)));

        var drumParts = Messages("test-sysex-gs-40-1x-15-drum-part-change.mid");
        Assert.Equal(new SysExMessage.Reset("GS"), drumParts[0]);
        Assert.Equal(new SysExMessage.DrumPart(0, true), drumParts[1]); // part 1 is channel 1
        Assert.Equal(new SysExMessage.DrumPart(9, false), drumParts[2]); // part 0 is channel 10

        var scale = Messages("test-sysex-7x-08-0x-scale-tuning.mid").Cast<SysExMessage.ScaleTuning>().ToList();
        Assert.Equal(8, scale.Count);
        Assert.All(scale, m => Assert.Equal(Enumerable.Range(0, 16), m.Channels));
        Assert.Equal([62, -62], scale[0].Cents.Take(2));
        Assert.Equal([62, -62], scale[4].Cents.Take(2).Select(c => Math.Round(c))); // the 2-byte form
        Assert.All(scale[1].Cents, c => Assert.Equal(0, c));

        var gsScale = Messages("test-sysex-gs-40-1x-4x-scale-tuning.mid").OfType<SysExMessage.ScaleTuning>().ToList();
        Assert.Equal([63, -64, 63, 0], gsScale.Select(m => m.Cents.Single()));
        Assert.All(gsScale, m => Assert.Equal((0, 0), (m.Channels.Single(), m.FirstPitchClass)));
    }

    [Theory]
    [InlineData(new byte[] { 0x41, 0x10, 0x42, 0x12, 0x40, 0x11, 0x15, 0x02, 0x19 })] // a GS message with a wrong checksum
    [InlineData(new byte[] { 0x7F, 0x7F, 0x04, 0x04, 0x00 })] // master coarse tuning without its value
    [InlineData(new byte[] { 0x7E, 0x7F, 0x08, 0x08, 0x03, 0x7F, 0x7F, 0x40 })] // scale tuning cut short
    [InlineData(new byte[] { 0x00, 0x20, 0x24, 0x00, 0x01 })] // a manufacturer's own message
    [InlineData(new byte[] { 0x7E })]
    public void A_damaged_or_foreign_sysex_is_no_message(byte[] data) => Assert.Null(SysExMessage.Parse(data));
}
