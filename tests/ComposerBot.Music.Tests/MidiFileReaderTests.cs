using ComposerBot.Music.Midi;
using ComposerBot.TestSupport;

namespace ComposerBot.Music.Tests;

public class MidiFileReaderTests
{
    [Fact]
    public void A_note_on_with_velocity_zero_ends_the_note()
    {
        var bytes = new RawMidi(0, 96).Track(t => t.NoteOn(0, 60, 100).At(96).NoteOn(0, 60, 0)).ToBytes();
        var note = Assert.Single(MidiFileReader.Read(bytes).Tracks.Single().Notes);
        Assert.Equal(new Note(60, 0, 96, 100), note);
    }

    [Fact]
    public void Overlapping_notes_of_one_pitch_pair_first_in_first_out()
    {
        var bytes = new RawMidi(0, 96).Track(t => t
            .NoteOn(0, 60, 100).At(48).NoteOn(0, 60, 90).At(96).NoteOff(0, 60).At(144).NoteOff(0, 60)).ToBytes();
        var notes = MidiFileReader.Read(bytes).Tracks.Single().Notes;
        Assert.Equal([new Note(60, 0, 96, 100), new Note(60, 48, 96, 90)], notes);
    }

    [Fact]
    public void A_missing_note_off_is_closed_at_the_end_of_the_track()
    {
        var bytes = new RawMidi(0, 96).Track(t => t
            .NoteOn(0, 64, 80).At(48).NoteOn(0, 67, 80).At(96).NoteOff(0, 67).At(384).Meta(0x01, "x"u8.ToArray())).ToBytes();
        var notes = MidiFileReader.Read(bytes).Tracks.Single().Notes;
        Assert.Equal([new Note(64, 0, 384, 80), new Note(67, 48, 48, 80)], notes);
    }

    [Fact]
    public void A_format_0_file_is_split_into_one_track_per_channel_with_its_program()
    {
        var bytes = new RawMidi(0, 480).Track(t => t
            .Program(0, 40).Program(9, 0).Program(2, 33)
            .NoteOn(0, 72, 100).NoteOn(9, 36, 100).NoteOn(2, 40, 100)
            .At(480).NoteOff(0, 72).NoteOff(9, 36).NoteOff(2, 40)).ToBytes();
        var score = MidiFileReader.Read(bytes);
        Assert.Equal([(0, 40, false), (2, 33, false), (9, 0, true)], score.Tracks.Select(t => (t.Channel, t.Program, t.IsDrum)));
        Assert.Equal("Violin", score.Tracks[0].InstrumentName);
    }

    [Fact]
    public void Tempo_meter_key_and_track_names_are_read_from_any_track()
    {
        var bytes = new RawMidi(1, 960)
            .Track(t => t.TimeSignature(6, 3).KeySignature(-3, minor: true).Tempo(400_000).At(960 * 3).Tempo(600_000))
            .Track(t => t.Name("Melody").NoteOn(3, 60, 100).At(960 * 6).NoteOff(3, 60))
            .ToBytes();
        var score = MidiFileReader.Read(bytes);
        Assert.Equal(960, score.TicksPerQuarter);
        Assert.Equal(new MeterChange(0, 6, 8), score.InitialMeter);
        Assert.Equal("C minor", score.Key!.Value.Name);
        Assert.Equal("Melody", score.Tracks.Single().Name);
        Assert.Equal((3 * 0.4) + (3 * 0.6), score.DurationSeconds, 9);
    }

    [Fact]
    public void A_file_that_is_not_midi_is_refused_in_one_line() =>
        Assert.Contains("not a MIDI file", Assert.Throws<MidiFormatException>(() => MidiFileReader.Read("RIFF....WAVEfmt "u8.ToArray())).Message);

    [Fact]
    public void A_note_whose_on_and_off_share_a_tick_is_kept_as_the_shortest_audible_note()
    {
        var bytes = new RawMidi(0, 96).Track(t => t.NoteOn(9, 42, 100).NoteOff(9, 42).At(96).NoteOn(0, 60, 90).NoteOff(0, 60)).ToBytes();
        var notes = MidiFileReader.Read(bytes).Tracks.SelectMany(t => t.Notes).OrderBy(n => n.Start).ToList();
        Assert.Equal([new Note(42, 0, 6, 100), new Note(60, 96, 6, 90)], notes);
    }

    [Fact]
    public void An_unknown_chunk_is_skipped()
    {
        var midi = new RawMidi(0, 96).Track(t => t.NoteOn(0, 60, 100).At(96).NoteOff(0, 60)).ToBytes();
        byte[] junk = [.. "XFIH"u8, 0, 0, 0, 3, 1, 2, 3];
        byte[] bytes = [.. midi.AsSpan(0, 14), .. junk, .. midi.AsSpan(14)];
        Assert.Equal(new Note(60, 0, 96, 100), MidiFileReader.Read(bytes).Tracks.Single().Notes.Single());
    }

    [Fact]
    public void Format_2_plays_its_sequences_one_after_another_each_to_its_end_of_track()
    {
        var bytes = new RawMidi(2, 96)
            .Track(t => t.NoteOn(0, 60, 100).At(96).NoteOff(0, 60).At(192).Meta(0x01, "end"u8.ToArray()))
            .Track(t => t.NoteOn(0, 64, 100).At(96).NoteOff(0, 64))
            .ToBytes();
        var notes = MidiFileReader.Read(bytes).Tracks.SelectMany(t => t.Notes).OrderBy(n => n.Start).ToList();
        Assert.Equal([new Note(60, 0, 96, 100), new Note(64, 192, 96, 100)], notes);
    }

    [Fact]
    public void A_truncated_file_is_refused()
    {
        var bytes = MidiFileWriter.ToBytes(TestScores.Band(10));
        var ex = Assert.Throws<MidiFormatException>(() => MidiFileReader.Read(bytes.AsMemory(0, bytes.Length / 2)));
        Assert.Contains("corrupt or truncated", ex.Message);
    }

    [Theory]
    [InlineData(0, "infinite tempo")]
    [InlineData(50_000, "1200 bpm, over the limit of 1000 bpm")]
    public void An_impossible_tempo_is_refused(int microseconds, string message)
    {
        var bytes = new RawMidi(0, 96).Track(t => t.Tempo(microseconds).NoteOn(0, 60, 100).At(96).NoteOff(0, 60)).ToBytes();
        Assert.Contains(message, Assert.Throws<MidiFormatException>(() => MidiFileReader.Read(bytes)).Message);
    }

    [Fact]
    public void Too_many_tracks_are_refused_before_parsing()
    {
        var raw = new RawMidi(1, 96);
        for (var i = 0; i < 500; i++)
        {
            raw.Track(t => t.NoteOn(0, 60, 100).At(96).NoteOff(0, 60));
        }

        Assert.Contains("500 tracks", Assert.Throws<MidiFormatException>(() => MidiFileReader.Read(raw.ToBytes())).Message);
    }

    [Fact]
    public void Too_many_notes_are_refused()
    {
        var bytes = new RawMidi(0, 96).Track(t =>
        {
            for (var i = 0; i < 200; i++)
            {
                t.At(i * 10).NoteOn(0, 60, 100).At((i * 10) + 5).NoteOff(0, 60);
            }
        }).ToBytes();
        var limits = new MidiReadLimits { MaxNotes = 100 };
        Assert.Contains("more than 100 notes", Assert.Throws<MidiFormatException>(() => MidiFileReader.Read(bytes, limits)).Message);
    }

    [Fact]
    public void Smpte_timing_is_refused()
    {
        var bytes = new RawMidi(0, 0xE728).Track(t => t.NoteOn(0, 60, 100).At(96).NoteOff(0, 60)).ToBytes();
        Assert.Contains("SMPTE", Assert.Throws<MidiFormatException>(() => MidiFileReader.Read(bytes)).Message);
    }

    [Fact]
    public void A_file_with_no_notes_reads_as_an_empty_score()
    {
        var score = MidiFileReader.Read(new RawMidi(1, 96).Track(t => t.Tempo(500_000)).ToBytes());
        Assert.Equal(0, score.NoteCount);
        Assert.Empty(score.Tracks);
    }
}
