using System.Text.Json;
using ComposerBot.Music.Midi;
using ComposerBot.TestSupport;

namespace ComposerBot.Tests;

public sealed class RenderCliTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string WriteBand(double seconds = 30)
    {
        var path = _dir.File("band.mid");
        MidiFileWriter.Write(TestScores.Band(seconds), path);
        return path;
    }

    [Theory]
    [InlineData("long.wav", "the WAV file would be over the 10,000,000-byte limit; choose mp3 or ogg, or raise --max-bytes.")]
    [InlineData("long.mp3", "the audio does not fit in 1,000,000 bytes even at 32 kb/s; raise --max-bytes or shorten the piece.")]
    public void A_render_whose_file_cannot_fit_is_refused_before_synthesis_and_writes_nothing(string output, string message)
    {
        // 20 minutes: synthesizing it would take a minute and hundreds of megabytes; its size is known at once.
        var midi = WriteBand(1200);
        var maxBytes = output.EndsWith(".wav", StringComparison.Ordinal) ? "10000000" : "1000000";
        var result = CliRunner.Run("render", midi, "-o", _dir.File(output), "--max-bytes", maxBytes);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"composerbot: {message}", Assert.Single(result.StderrLines));
        Assert.DoesNotContain("ynthesiz", result.Stderr, StringComparison.Ordinal); // no progress of a synthesis
        Assert.Equal(["band.mid"], _dir.Files());
    }

    [Fact]
    public void Render_writes_an_mp3_at_minus_14_lufs_under_minus_1_dbtp_as_long_as_the_midi()
    {
        var midi = WriteBand(30);
        var mp3 = _dir.File("band.mp3");
        var result = CliRunner.Run("render", midi, "-o", mp3, "--png", _dir.File("band.png"), "--json");
        Assert.True(result.ExitCode == 0, result.Stderr);

        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        Assert.Equal("mp3", root.GetProperty("format").GetString());
        Assert.Equal(new FileInfo(mp3).Length, root.GetProperty("bytes").GetInt64());
        Assert.InRange(root.GetProperty("loudness_lufs").GetDouble(), -14.1, -13.9);
        Assert.True(root.GetProperty("true_peak_dbtp").GetDouble() <= -1);

        var (lufs, peak) = ExternalTools.Ebur128(mp3);
        Assert.InRange(lufs, -15, -13);
        Assert.True(peak <= -1.0, $"ffmpeg measured a true peak of {peak} dBTP");

        var info = CliRunner.Run("info", midi, "--json");
        var midiSeconds = JsonDocument.Parse(info.Stdout).RootElement.GetProperty("duration_s").GetDouble();
        Assert.Equal(midiSeconds, ExternalTools.DurationSeconds(mp3), 0.3);
        Assert.Equal(midiSeconds, root.GetProperty("duration_s").GetDouble(), 0.3);
        Assert.Equal(["band.mid", "band.mp3", "band.png"], _dir.Files());
    }

    [Fact]
    public void The_text_summary_names_the_file_and_its_loudness()
    {
        var result = CliRunner.Run("render", WriteBand(6), "-o", _dir.File("band.ogg"));
        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^Wrote .*band\.ogg \(ogg at \d+ kb/s, [\d,]+ bytes\): \d+\.\d\d s, -14\.\d LUFS, true peak -\d\.\d dBTP", result.Stdout);
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public void Rendering_twice_gives_identical_files()
    {
        var midi = WriteBand(8);
        Assert.Equal(0, CliRunner.Run("render", midi, "-o", _dir.File("a.wav")).ExitCode);
        Assert.Equal(0, CliRunner.Run("render", midi, "-o", _dir.File("b.wav")).ExitCode);
        Assert.Equal(File.ReadAllBytes(_dir.File("a.wav")), File.ReadAllBytes(_dir.File("b.wav")));
    }

    [Fact]
    public void A_file_that_retunes_one_key_by_registered_parameter_renders_the_c_major_scale_it_asks_for()
    {
        // test-rpn-00-02-coarse-tuning.mid: "You must hear a C-Major scale." from one key, retuned note by note.
        var midi = Path.Combine(RepositoryPaths.MidiTestFiles, "test-rpn-00-02-coarse-tuning.mid");
        var result = CliRunner.Run("render", midi, "-o", _dir.File("scale.wav"));
        Assert.True(result.ExitCode == 0, result.Stderr);
        var (samples, rate) = WavFile.ReadStereo(_dir.File("scale.wav"));
        var pitches = Enumerable.Range(0, 8).Select(k => PitchProbe.MidiPitch(samples, rate, (k * 0.5) + 0.15, (k * 0.5) + 0.45)).ToArray();
        var steps = pitches.Select(p => Math.Round(p - pitches[0], 1)).ToArray();
        Assert.True(steps.Zip(new double[] { 0, 2, 4, 5, 7, 9, 11, 12 }).All(s => Math.Abs(s.First - s.Second) < 0.25), $"heard {string.Join(" ", steps)}");
    }

    [Fact]
    public void Max_bytes_steps_the_bitrate_down()
    {
        var result = CliRunner.Run("render", WriteBand(60), "-o", _dir.File("small.mp3"), "--max-bytes", "700000", "--json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var root = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.True(root.GetProperty("bytes").GetInt64() <= 700_000);
        Assert.True(root.GetProperty("bitrate_kbps").GetInt32() < 192);
    }

    [Fact]
    public void No_normalize_keeps_the_synthesizer_level()
    {
        var result = CliRunner.Run("render", WriteBand(6), "-o", _dir.File("raw.flac"), "--no-normalize", "--json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var root = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.False(root.GetProperty("normalized").GetBoolean());
        Assert.True(root.GetProperty("loudness_lufs").GetDouble() < -16);
    }

    [Fact]
    public void The_soundfont_named_in_the_environment_is_used()
    {
        var result = CliRunner.Run(new Dictionary<string, string> { ["COMPOSERBOT_SOUNDFONT"] = "/nowhere/env.sf2" }, "render", WriteBand(4), "-o", _dir.File("x.mp3"));
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("composerbot: SoundFont not found: /nowhere/env.sf2", Assert.Single(result.StderrLines));
    }

    [Fact]
    public void A_terminal_shows_a_progress_bar_and_a_pipe_does_not()
    {
        var midi = WriteBand(6);
        // script(1) gives the process a pseudo-terminal, as a user's shell would.
        var command = $"dotnet {Path.Combine(AppContext.BaseDirectory, "ComposerBot.dll")} render {midi} -o {_dir.File("tty.mp3")}";
        var tty = ExternalTools.Run("script", "-qec", command, "/dev/null");
        Assert.Contains("Synthesizing", tty);
        Assert.Contains("100%", tty);

        var piped = CliRunner.Run("render", midi, "-o", _dir.File("pipe.mp3"));
        Assert.DoesNotContain("Synthesizing", piped.Stdout + piped.Stderr);
    }

    [Fact]
    public void Help_lists_the_verbs()
    {
        var result = CliRunner.Run("--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("render", result.Stdout);
        Assert.Contains("info", result.Stdout);
        var render = CliRunner.Run("render", "--help");
        Assert.Contains("--max-bytes", render.Stdout);
        Assert.Contains("--soundfont", render.Stdout);
    }
}
