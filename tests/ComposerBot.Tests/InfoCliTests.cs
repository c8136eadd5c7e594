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

    [Fact]
    public void Every_public_test_file_is_described_or_refused_in_one_line_without_a_stack_trace()
    {
        foreach (var file in Directory.GetFiles(RepositoryPaths.MidiTestFiles).Where(f => !f.EndsWith(".md", StringComparison.Ordinal)))
        {
            var result = CliRunner.Run("info", file, "--json");
            if (result.ExitCode == 0)
            {
                Assert.True(JsonDocument.Parse(result.Stdout).RootElement.GetProperty("duration_s").GetDouble() >= 0, file);
                continue;
            }

            Assert.True(result.ExitCode == 2, $"{Path.GetFileName(file)}: exit {result.ExitCode}\n{result.Stderr}");
            Assert.StartsWith("composerbot: ", Assert.Single(result.StderrLines), StringComparison.Ordinal);
            Assert.DoesNotContain("Parameter", result.Stderr, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("test-illegal-message-f1-xx.mid", 8, 1)]
    [InlineData("test-non-midi-track.mid", 8, 1)]
    [InlineData("test-2-tracks-type-1.mid", 16, 1)]
    [InlineData("test-2-tracks-type-2.mid", 16, 2)]
    public void The_public_test_files_render_as_their_texts_say(string name, int notes, int durationFactor)
    {
        var midi = Path.Combine(RepositoryPaths.MidiTestFiles, name);
        var info = JsonDocument.Parse(CliRunner.Run("info", midi, "--json").Stdout).RootElement;
        Assert.Equal(notes, info.GetProperty("note_count").GetInt32());
        var result = CliRunner.Run("render", midi, "-o", _dir.File("out.wav"), "--json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var rendered = JsonDocument.Parse(result.Stdout).RootElement.GetProperty("duration_s").GetDouble();
        Assert.InRange(rendered, info.GetProperty("duration_s").GetDouble(), info.GetProperty("duration_s").GetDouble() + 0.5);
        if (durationFactor == 2)
        {
            // "Two scales in two tracks must play sequentially": twice as long as the simultaneous file.
            var together = JsonDocument.Parse(CliRunner.Run("info", Path.Combine(RepositoryPaths.MidiTestFiles, "test-2-tracks-type-1.mid"), "--json").Stdout).RootElement;
            Assert.Equal(2 * together.GetProperty("duration_s").GetDouble(), info.GetProperty("duration_s").GetDouble(), 1);
        }
    }

    [Fact]
    public void A_file_of_silence_is_refused_with_what_it_holds()
    {
        var result = CliRunner.Run("render", Path.Combine(RepositoryPaths.MidiTestFiles, "test-silence-end-of-track.mid"), "-o", _dir.File("silence.mp3"));
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("composerbot: there is nothing to play: the file holds 5 s of silence and no notes.", Assert.Single(result.StderrLines));
        Assert.False(File.Exists(_dir.File("silence.mp3")));
    }
}
