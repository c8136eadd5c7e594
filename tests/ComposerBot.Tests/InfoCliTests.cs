using System.Text.Json;
using ComposerBot.Music.Midi;
using ComposerBot.TestSupport;

namespace ComposerBot.Tests;

public sealed class InfoCliTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Info_describes_tracks_programs_notes_duration_tempo_meter_and_key()
    {
        var score = TestScores.Band(20);
        MidiFileWriter.Write(score, _dir.File("band.mid"));
        var result = CliRunner.Run("info", _dir.File("band.mid"), "--json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var root = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal(score.NoteCount, root.GetProperty("note_count").GetInt32());
        Assert.Equal(score.DurationSeconds, root.GetProperty("duration_s").GetDouble(), 0.001);
        Assert.Equal(120, root.GetProperty("tempo_bpm").GetDouble());
        Assert.Equal("4/4", root.GetProperty("meter").GetString());
        Assert.Equal("D minor", root.GetProperty("key").GetString());
        var tracks = root.GetProperty("tracks").EnumerateArray().ToList();
        Assert.Equal(["Flute", "String Ensemble 1", "Electric Bass (finger)", "Drum kit"], tracks.Select(t => t.GetProperty("instrument").GetString()));
        Assert.True(tracks[3].GetProperty("drum").GetBoolean());
    }

    [Fact]
    public void Info_prints_a_readable_summary()
    {
        MidiFileWriter.Write(TestScores.Band(10), _dir.File("band.mid"));
        var result = CliRunner.Run("info", _dir.File("band.mid"));
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("tempo      120 bpm", result.Stdout);
        Assert.Contains("key        D minor (signature)", result.Stdout);
        Assert.Contains("\"Bass\" Electric Bass (finger) (program 33, channel 3)", result.Stdout);
    }

    [Fact]
    public void A_file_without_a_key_signature_gets_an_estimated_key()
    {
        var score = TestScores.Band(10) with { Key = null };
        MidiFileWriter.Write(score, _dir.File("nokey.mid"));
        var root = JsonDocument.Parse(CliRunner.Run("info", _dir.File("nokey.mid"), "--json").Stdout).RootElement;
        Assert.Equal("estimated", root.GetProperty("key_source").GetString());
        Assert.NotNull(root.GetProperty("key").GetString());
    }
}
