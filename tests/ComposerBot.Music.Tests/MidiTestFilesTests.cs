using ComposerBot.Music.Midi;
using ComposerBot.TestSupport;

namespace ComposerBot.Music.Tests;

/// <summary>
/// Every public MIDI test file (tests/data/midi-test-files, jazz-soft/test-midi-files, MIT) read as its own
/// text says a player must: the expectations below are copied from the files' text events.
/// </summary>
public class MidiTestFilesTests
{
    private static readonly int[] CMajor = [60, 62, 64, 65, 67, 69, 71, 72];

    private static Score Read(string name) => MidiFileReader.Read(Path.Combine(RepositoryPaths.MidiTestFiles, name));

    /// <summary>"You must hear a C-Major scale": eight notes C5..C6 (60..72), one after another.</summary>
    [Theory]
    [InlineData("test-c-major-scale.mid")]
    [InlineData("test-non-midi-track.mid")] // "This test contains a non-MIDI track. Players should ignore it."
    [InlineData("test-corrupt-file-extra-byte.mid")] // "Most players have no problem with that."
    [InlineData("test-corrupt-file-missing-byte.mid")] // "Some players may refuse to open it": we need not.
    [InlineData("test-running-status-metaevent.mid")]
    [InlineData("test-running-status-sysex.mid")]
    [InlineData("test-illegal-message-all.mid")]
    [InlineData("test-illegal-message-f1-xx.mid")]
    [InlineData("test-illegal-message-f2-xx-xx.mid")]
    [InlineData("test-illegal-message-f3-xx.mid")]
    [InlineData("test-illegal-message-f4.mid")]
    [InlineData("test-illegal-message-f5.mid")]
    [InlineData("test-illegal-message-f6.mid")]
    [InlineData("test-illegal-message-f8.mid")]
    [InlineData("test-illegal-message-f9.mid")]
    [InlineData("test-illegal-message-fa.mid")]
    [InlineData("test-illegal-message-fb.mid")]
    [InlineData("test-illegal-message-fc.mid")]
    [InlineData("test-illegal-message-fd.mid")]
    [InlineData("test-illegal-message-fe.mid")]
    [InlineData("test-vlq-2-byte.mid")]
    [InlineData("test-vlq-3-byte.mid")]
    [InlineData("test-vlq-4-byte.mid")]
    public void A_file_that_says_you_must_hear_a_c_major_scale_gives_its_eight_notes_in_order(string name)
    {
        var notes = Read(name).Tracks.SelectMany(t => t.Notes).OrderBy(n => n.Start).ToList();
        Assert.Equal(CMajor, notes.Select(n => n.Pitch));
        Assert.All(notes.Zip(notes.Skip(1)), pair => Assert.True(pair.First.End <= pair.Second.Start, $"{pair.First} overlaps {pair.Second}"));
        Assert.All(notes, n => Assert.True(n.Duration > 0));
    }

    [Fact]
    public void Two_tracks_of_format_1_play_at_once_and_of_format_2_one_after_the_other()
    {
        // "Two scales in two tracks must play simultaneously." / "... must play sequentially."
        var together = Read("test-2-tracks-type-1.mid");
        var apart = Read("test-2-tracks-type-2.mid");
        Assert.Equal(16, together.NoteCount);
        Assert.Equal(16, apart.NoteCount);
        Assert.Equal(together.Tracks[0].Notes[0].Start, together.Tracks[1].Notes[0].Start);
        Assert.True(apart.Tracks[1].Notes[0].Start >= apart.Tracks[0].Notes[^1].End, "the second sequence starts after the first");
        Assert.Equal(2 * together.DurationSeconds, apart.DurationSeconds, 1);

        // "This file has two tracks instead of one. That makes it, technically, invalid.": read as format 1.
        var invalid = Read("test-2-tracks-type-0.mid");
        Assert.Equal(16, invalid.NoteCount);
        Assert.Equal(invalid.Tracks[0].Notes[0].Start, invalid.Tracks[1].Notes[0].Start);
    }

    [Theory]
    [InlineData("test-multichannel-chords-0.mid")]
    [InlineData("test-multichannel-chords-1.mid")]
    [InlineData("test-multichannel-chords-2.mid")]
    [InlineData("test-multichannel-chords-3.mid")]
    public void Multichannel_chords_sound_as_eight_three_note_chords(string name)
    {
        // "Now you must hear a chord at C5! ... at C6!": eight onsets, three notes each.
        var onsets = Read(name).Tracks.SelectMany(t => t.Notes).GroupBy(n => n.Start).OrderBy(g => g.Key).ToList();
        Assert.Equal(8, onsets.Count);
        Assert.All(onsets, chord => Assert.Equal(3, chord.Count()));
    }

    [Theory]
    [InlineData("test-silence-all-notes-off.mid")]
    [InlineData("test-silence-end-of-track.mid")]
    [InlineData("test-silence-text-metaevent.mid")]
    public void A_silent_file_lasts_its_five_seconds(string name)
    {
        // "This test should play nothing for 5 seconds."
        var score = Read(name);
        Assert.Equal(0, score.NoteCount);
        Assert.Equal(5, score.DurationSeconds, 2);
    }

    [Fact]
    public void The_end_of_track_sets_the_length_after_the_last_note()
    {
        // "You must hear C5 and then the track ends after one half note!"
        var score = Read("test-track-length.mid");
        var note = Assert.Single(score.Tracks.Single().Notes);
        Assert.Equal(60, note.Pitch);
        Assert.Equal(note.End + (2 * score.TicksPerQuarter), score.EndTick);
    }

    [Fact]
    public void Velocities_are_kept()
    {
        // "Velocity = 1 | 16 | 32 | 48 | 64 | 80 | 96 | 112 | 127"
        var notes = Read("test-note-on-velocity.mid").Tracks.SelectMany(t => t.Notes).OrderBy(n => n.Start).ToList();
        Assert.Equal([1, 16, 32, 48, 64, 80, 96, 112, 127], notes.Select(n => n.Velocity));
    }

    [Fact]
    public void An_empty_track_is_an_empty_score_and_karaoke_lyrics_do_not_hide_the_tune()
    {
        Assert.Equal(0, Read("test-empty.mid").NoteCount);
        var karaoke = Read("test-karaoke-kar.mid");
        Assert.True(karaoke.NoteCount >= 25, $"{karaoke.NoteCount} notes");
    }

    [Theory]
    [InlineData("test-empty-file.mid", "not a MIDI file (no MThd header).")]
    [InlineData("test-not-a-midi-file.mid", "not a MIDI file (no MThd header).")]
    [InlineData("test-syx-7e-06-01-id-request.syx", "not a MIDI file (no MThd header).")]
    public void What_is_not_a_midi_file_is_refused_with_one_line(string name, string message)
    {
        var ex = Assert.Throws<MidiFormatException>(() => Read(name));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Every_test_file_reads_or_is_refused_with_a_reason_and_none_loses_a_note_on()
    {
        var files = Directory.GetFiles(RepositoryPaths.MidiTestFiles).Where(f => !f.EndsWith(".md", StringComparison.Ordinal)).ToList();
        Assert.True(files.Count >= 70, $"{files.Count} files");
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            if (!bytes.AsSpan().StartsWith("MThd"u8))
            {
                Assert.Throws<MidiFormatException>(() => MidiFileReader.Read(file));
                continue;
            }

            var score = MidiFileReader.Read(file);
            Assert.True(score.NoteCount >= NoteOns(bytes), $"{Path.GetFileName(file)}: {score.NoteCount} notes read, {NoteOns(bytes)} note-on messages with velocity in the file");
        }
    }

    [Fact]
    public void Damaged_copies_of_every_test_file_read_or_are_refused_in_one_plain_line()
    {
        var random = new Random(22);
        foreach (var file in Directory.GetFiles(RepositoryPaths.MidiTestFiles, "*.mid"))
        {
            var original = File.ReadAllBytes(file);
            if (original.Length < 2)
            {
                continue;
            }

            for (var i = 0; i < 40; i++)
            {
                var bytes = original.ToArray();
                if (i % 2 == 0 && bytes.Length > 1)
                {
                    bytes = bytes[..random.Next(1, bytes.Length)];
                }
                else
                {
                    for (var k = 0; k < 1 + random.Next(4); k++)
                    {
                        bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                    }
                }

                try
                {
                    MidiFileReader.Read(bytes);
                }
                catch (MidiFormatException ex)
                {
                    Assert.DoesNotContain("Parameter", ex.Message, StringComparison.Ordinal);
                    Assert.DoesNotContain('\n', ex.Message);
                }
            }
        }
    }

    /// <summary>A lower bound on the notes a file holds: status-byte note-ons (0x9n kk vv, vv &gt; 0) found by scanning its bytes.</summary>
    private static int NoteOns(byte[] bytes)
    {
        var count = 0;
        for (var i = 0; i + 2 < bytes.Length; i++)
        {
            if ((bytes[i] & 0xF0) == 0x90 && bytes[i + 1] < 0x80 && bytes[i + 2] is > 0 and < 0x80 && i > 0 && bytes[i - 1] < 0x80)
            {
                count++;
            }
        }

        return count;
    }
}
