using ComposerBot.Music.Midi;
using ComposerBot.TestSupport;

namespace ComposerBot.Tests;

/// <summary>
/// Every bad input gets one line on stderr that names the problem, exit code 2, and leaves no output
/// file behind.
/// </summary>
public sealed class BadInputCliTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, string> BadMidiFiles => new()
    {
        { "truncated", "corrupt or truncated MIDI data" },
        { "not-midi", "not a MIDI file (no MThd header)" },
        { "zero-notes", "the score has no notes to render" },
        { "tempo-zero", "is 0 microseconds per quarter note (an infinite tempo)" },
        { "tempo-fast", "is 1500 bpm, over the limit of 1000 bpm" },
        { "500-tracks", "MIDI file has 500 tracks, over the limit of 256" },
        { "hours-long", "the score lasts 3:00:00, over the limit of 20:00" },
    };

    [Theory]
    [MemberData(nameof(BadMidiFiles))]
    public void A_bad_midi_file_is_refused_with_one_line(string kind, string message)
    {
        var input = _dir.File($"{kind}.mid");
        File.WriteAllBytes(input, Make(kind));
        var result = CliRunner.Run("render", input, "-o", _dir.File("out.mp3"), "--png", _dir.File("out.png"));
        AssertRefused(result, message, [$"{kind}.mid"]);
    }

    [Fact]
    public void A_missing_soundfont_is_refused()
    {
        var input = Band();
        var result = CliRunner.Run("render", input, "-o", _dir.File("out.mp3"), "--soundfont", _dir.File("missing.sf2"));
        AssertRefused(result, "SoundFont not found", ["band.mid"]);
    }

    [Fact]
    public void A_file_that_is_not_a_soundfont_is_refused()
    {
        var input = Band();
        File.WriteAllText(_dir.File("fake.sf2"), "not a soundfont");
        var result = CliRunner.Run("render", input, "-o", _dir.File("out.mp3"), "--soundfont", _dir.File("fake.sf2"));
        AssertRefused(result, "not a SoundFont 2 file", ["band.mid", "fake.sf2"]);
    }

    [Theory]
    [InlineData("/proc/composerbot/out.mp3", "cannot write /proc/composerbot/out.mp3")]
    [InlineData("/nonexistent-folder/out.mp3", "cannot write /nonexistent-folder/out.mp3")]
    public void An_output_path_that_cannot_be_written_is_refused(string output, string message) =>
        AssertRefused(CliRunner.Run("render", Band(), "-o", output), message, ["band.mid"]);

    [Fact]
    public void An_unknown_extension_is_refused() =>
        AssertRefused(CliRunner.Run("render", Band(), "-o", _dir.File("out.aac")), "unknown output extension '.aac'", ["band.mid"]);

    [Fact]
    public void A_missing_input_is_refused() =>
        AssertRefused(CliRunner.Run("render", _dir.File("nope.mid"), "-o", _dir.File("out.mp3")), "MIDI file not found", []);

    [Fact]
    public void Info_refuses_a_bad_file_the_same_way()
    {
        File.WriteAllText(_dir.File("song.mid"), "hello");
        AssertRefused(CliRunner.Run("info", _dir.File("song.mid")), "not a MIDI file", ["song.mid"]);
    }

    [Theory]
    [InlineData("--max-bytes", "-5", "--max-bytes must be a positive number")]
    [InlineData("--max-bytes", "lots", "lots")]
    [InlineData("--frobnicate", "1", "--frobnicate")]
    public void Bad_options_are_refused(string option, string value, string message) =>
        AssertRefused(CliRunner.Run("render", Band(), "-o", _dir.File("out.mp3"), option, value), message, ["band.mid"]);

    [Fact]
    public void A_missing_output_option_is_refused() =>
        AssertRefused(CliRunner.Run("render", Band()), "--output", ["band.mid"]);

    private string Band()
    {
        MidiFileWriter.Write(TestScores.Band(4), _dir.File("band.mid"));
        return _dir.File("band.mid");
    }

    private void AssertRefused(CliResult result, string message, string[] filesLeft)
    {
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StderrLines);
        Assert.StartsWith("composerbot: ", line);
        Assert.Contains(message, line);
        Assert.Empty(result.Stdout);
        Assert.Equal(filesLeft, _dir.Files());
    }

    private static byte[] Make(string kind) => kind switch
    {
        "truncated" => MidiFileWriter.ToBytes(TestScores.Band(10))[..400],
        "not-midi" => "ID3\u0003 this is an mp3, honestly"u8.ToArray(),
        "zero-notes" => new RawMidi().Track(t => t.Tempo(500_000).TimeSignature(4, 2)).ToBytes(),
        "tempo-zero" => new RawMidi().Track(t => t.Tempo(0).NoteOn(0, 60, 90).At(480).NoteOff(0, 60)).ToBytes(),
        "tempo-fast" => new RawMidi().Track(t => t.Tempo(40_000).NoteOn(0, 60, 90).At(480).NoteOff(0, 60)).ToBytes(),
        "500-tracks" => Enumerable.Range(0, 500).Aggregate(new RawMidi(), (m, _) => m.Track(t => t.NoteOn(0, 60, 90).At(480).NoteOff(0, 60))).ToBytes(),
        "hours-long" => new RawMidi().Track(t => t.NoteOn(0, 60, 90).At(480L * 2 * 3600 * 3).NoteOff(0, 60)).ToBytes(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
