using System.Text.Json;
using ComposerBot.TestSupport;

namespace ComposerBot.Tests;

/// <summary>The compose verb as a user runs it, with the models the repository ships.</summary>
public sealed class ComposeCliTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Dictionary<string, string> _environment = new() { ["COMPOSERBOT_MODELS"] = RepositoryPaths.Models };

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_same_prompt_and_seed_give_the_same_bytes_in_another_process()
    {
        // Two processes: anything seeded from a per-process salted hash (HashCode.Combine) would differ here.
        for (var run = 0; run < 2; run++)
        {
            var result = CliRunner.Run(_environment, "compose", "tense chiptune boss fight 8 s", "--seed", "7", "--out", _dir.File($"run{run}"));
            Assert.True(result.ExitCode == 0, result.Stderr);
        }

        foreach (var extension in new[] { "*.mp3", "*.mid" })
        {
            var files = new[] { "run0", "run1" }.Select(d => Directory.GetFiles(_dir.File(d), extension).Single()).ToArray();
            Assert.True(File.ReadAllBytes(files[0]).AsSpan().SequenceEqual(File.ReadAllBytes(files[1])), $"the two {extension} files differ");
        }
    }

    [Fact]
    public void Compose_kit_writes_a_stream_kit_folder_with_its_zip_and_says_what_is_in_it()
    {
        var result = CliRunner.Run(_environment, "compose", "happy rock", "--kit", "--seed", "3", "--format", "ogg", "--out", _dir.Path);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.StartsWith("Understood: a stream kit, rock, happy,", result.Stdout, StringComparison.Ordinal);
        const string name = "happy-rock-s3-kit";
        var folder = _dir.File(name);
        foreach (var piece in new[] { "starting-soon", "be-right-back", "outro", "stinger", "alert-follow", "alert-subscription", "alert-raid" })
        {
            Assert.Contains($"{piece}.ogg", result.Stdout, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(folder, $"{piece}.ogg")), piece);
            Assert.True(File.Exists(Path.Combine(folder, $"{piece}.json")), piece);
        }

        Assert.True(File.Exists(Path.Combine(folder, "stinger.webm")));
        Assert.Contains($"{name}.zip", result.Stdout.Trim().Split('\n')[^1], StringComparison.Ordinal);
        var kit = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "kit.json"))).RootElement;
        Assert.Equal(7, kit.GetProperty("pieces").GetArrayLength());
        Assert.Equal("rock", kit.GetProperty("style").GetString());

        // The same folder again is refused, in one line, and nothing in it is touched.
        var before = Directory.GetFiles(folder).ToDictionary(f => f, File.GetLastWriteTimeUtc);
        var again = CliRunner.Run(_environment, "compose", "happy rock", "--kit", "--seed", "3", "--format", "ogg", "--out", _dir.Path);
        Assert.Equal(2, again.ExitCode);
        Assert.Single(again.StderrLines);
        Assert.Contains("already holds files", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, Directory.GetFiles(folder).ToDictionary(f => f, File.GetLastWriteTimeUtc));

        var count = CliRunner.Run(_environment, "compose", "happy rock", "--kit", "--count", "2", "--out", _dir.File("other"));
        Assert.Equal(2, count.ExitCode);
        Assert.Contains("--kit makes its own set", count.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.File("other")));
    }

    [Fact]
    public void Compose_writes_audio_midi_piano_roll_and_receipt_and_echoes_what_it_understood()
    {
        var result = CliRunner.Run(_environment, "compose", "tense chiptune boss fight 12 s loop in D minor at 160 bpm", "--out", _dir.Path);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.StartsWith("Understood: chiptune, tense, D minor, 4/4, 160 bpm, 12 s (8 bars), seamless loop, seed 1", result.Stdout);
        Assert.DoesNotContain("Adjusted:", result.Stdout, StringComparison.Ordinal);
        const string name = "tense-chiptune-boss-fight-12-s1";
        Assert.Equal([$"{name}.json", $"{name}.mid", $"{name}.mp3", $"{name}.png"], _dir.Files());
        var receipt = JsonDocument.Parse(File.ReadAllText(_dir.File($"{name}.json"))).RootElement;
        Assert.Equal("chiptune", receipt.GetProperty("style").GetString());
        Assert.Equal(12, receipt.GetProperty("duration_s").GetDouble(), 0.01);
        Assert.Equal(12 * 48_000, receipt.GetProperty("loop_length_samples").GetInt64());
        Assert.Equal(12, ExternalTools.DurationSeconds(_dir.File($"{name}.mp3")), 0.1);

        // The shipped neural composer wrote it, and the originality guard passed it.
        Assert.Equal("model", receipt.GetProperty("model").GetString());
        var originality = receipt.GetProperty("originality");
        Assert.True(originality.GetProperty("passed").GetBoolean());
        Assert.InRange(originality.GetProperty("longest_shared_run").GetInt32(), 0, originality.GetProperty("threshold").GetInt32());
        Assert.InRange(originality.GetProperty("attempts").GetInt32(), 1, 5);
    }

    [Fact]
    public void A_tune_follows_a_form_of_the_training_tunes_and_its_receipt_names_the_form()
    {
        // A bar written as its letter alone, when that letter came before, restates an earlier bar exactly.
        static int Restated(string form)
        {
            var bars = form.Split(' ');
            return bars.Where((bar, i) => !bar.EndsWith('\'') && !bar.EndsWith('~') && Array.IndexOf(bars, bar) < i).Count();
        }

        var withForms = CliRunner.Run(_environment, "compose", "folk reel 32 bars", "--seed", "101", "--format", "ogg", "--json", "--out", _dir.File("forms"));
        Assert.True(withForms.ExitCode == 0, withForms.Stderr);
        var form = JsonDocument.Parse(withForms.Stdout).RootElement.GetProperty("form").GetString()!;
        Assert.Equal(32, form.Split(' ').Length);

        // The same request from a models folder without the forms file: the model's own melody restates far less.
        var bare = _dir.File("bare-models");
        Directory.CreateDirectory(bare);
        foreach (var file in Directory.GetFiles(RepositoryPaths.Models).Where(f => !f.EndsWith(".tsv.gz", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(bare, Path.GetFileName(file)));
        }

        var free = CliRunner.Run(new Dictionary<string, string>(_environment) { ["COMPOSERBOT_MODELS"] = bare }, "compose", "folk reel 32 bars", "--seed", "101", "--format", "ogg", "--json", "--out", _dir.File("free"));
        Assert.True(free.ExitCode == 0, free.Stderr);
        var freeForm = JsonDocument.Parse(free.Stdout).RootElement.GetProperty("form").GetString()!;
        Assert.True(Restated(form) >= 12, $"with forms: {form}");
        Assert.True(Restated(form) >= Restated(freeForm) + 8, $"with forms: {form}; without: {freeForm}");
    }

    [Fact]
    public void Prompts_in_peoples_own_words_are_made_with_the_stated_tempo_exactly()
    {
        // "march" is no cluster of ours: it lands among the reels (the training set's one march is there).
        var march = CliRunner.Run(_environment, "compose", "heroic march in E flat major at 110 bpm 20 s", "--generator", "ngram", "--format", "wav", "--out", _dir.Path);
        Assert.True(march.ExitCode == 0, march.Stderr);
        Assert.StartsWith("Understood: orchestral, epic, Eb major, 2/4, 110 bpm, 19.64 s (18 bars)", march.Stdout);
        Assert.Contains("Adjusted: length 19.64 s (not 20 s): 18 whole bars at 110 bpm", march.Stdout, StringComparison.Ordinal);
        var receipt = JsonDocument.Parse(File.ReadAllText(Directory.GetFiles(_dir.Path, "heroic-*.json").Single())).RootElement;
        Assert.Equal(110, receipt.GetProperty("tempo_bpm").GetDouble());
        Assert.Equal("reel", receipt.GetProperty("feel").GetString());
        Assert.StartsWith("length 19.64 s", receipt.GetProperty("adjustment").GetString(), StringComparison.Ordinal);

        var reel = CliRunner.Run(_environment, "compose", "fast celtic reel in G major 140bpm", "--generator", "ngram", "--format", "wav", "--json", "--out", _dir.Path);
        Assert.True(reel.ExitCode == 0, reel.Stderr);
        Assert.Equal(140, JsonDocument.Parse(reel.Stdout).RootElement.GetProperty("tempo_bpm").GetDouble());

        // No training tune is a polka: the style and meter choose the feel, and the request is made.
        var polka = CliRunner.Run(_environment, "compose", "folk polka 20 s", "--generator", "ngram", "--format", "wav", "--json", "--out", _dir.Path);
        Assert.True(polka.ExitCode == 0, polka.Stderr);
        Assert.Equal("reel", JsonDocument.Parse(polka.Stdout).RootElement.GetProperty("feel").GetString());

        // A feel given as an option that no training tune has is still refused, in one line.
        var unknown = CliRunner.Run(_environment, "compose", "folk", "--feel", "tango", "--generator", "ngram", "--out", _dir.File("none"));
        Assert.Equal(2, unknown.ExitCode);
        Assert.StartsWith("composerbot: unknown feel 'tango'", Assert.Single(unknown.StderrLines), StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.File("none")));
    }

    [Theory]
    [InlineData("Composer__OriginalityAttempts", "0", "OriginalityAttempts must be 1-20")]
    [InlineData("Composer__Threads", "-1", "Composer:Threads must be 0 (one per core) to 256")]
    public void A_bad_composer_setting_is_refused_at_start(string name, string value, string message)
    {
        var environment = new Dictionary<string, string>(_environment) { [name] = value };
        var result = CliRunner.Run(environment, "compose", "happy folk", "--out", _dir.File("out"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, Assert.Single(result.StderrLines));
        Assert.False(Directory.Exists(_dir.File("out")));
    }

    [Fact]
    public void Explicit_options_override_the_prompt()
    {
        var result = CliRunner.Run(_environment, "compose", "sad piano waltz", "--style", "folk", "--key", "E minor", "--tempo", "100", "--length", "8 bars", "--format", "ogg", "--json", "--out", _dir.Path);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var receipt = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal("folk", receipt.GetProperty("style").GetString());
        Assert.Equal("E minor", receipt.GetProperty("key").GetString());
        Assert.Equal("3/4", receipt.GetProperty("meter").GetString());
        Assert.Equal(100, receipt.GetProperty("tempo_bpm").GetDouble(), 0.01);
        Assert.Equal(8, receipt.GetProperty("bars").GetInt32());
        Assert.EndsWith(".ogg", receipt.GetProperty("files").GetProperty("audio").GetString());
    }

    [Fact]
    public void Count_makes_several_tracks_with_consecutive_seeds()
    {
        var result = CliRunner.Run(_environment, "compose", "rock stinger 3 s", "--count", "2", "--seed", "5", "--out", _dir.Path);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("rock-stinger-3-s-s5.mp3", _dir.Files());
        Assert.Contains("rock-stinger-3-s-s6.mp3", _dir.Files());
    }

    [Fact]
    public void Out_may_name_the_audio_file_itself_its_format_from_its_extension()
    {
        // As people type it: -o my-track.ogg, not a folder.
        var result = CliRunner.Run(_environment, "compose", "rock stinger 3 s", "-o", _dir.File("night drive.ogg"));
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(["night drive.json", "night drive.mid", "night drive.ogg", "night drive.png"], _dir.Files().Order());
        Assert.Equal("opus", ExternalTools.CodecName(_dir.File("night drive.ogg")));

        // A named file is one file, in one format.
        foreach (var (args, message) in new[]
        {
            (new[] { "--format", "wav" }, "asks for ogg but --format for wav"),
            (new[] { "--count", "2" }, "names one file; for --count or --kit give a folder"),
        })
        {
            var refused = CliRunner.Run(_environment, ["compose", "rock stinger 3 s", "-o", _dir.File("other.ogg"), .. args]);
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains(message, Assert.Single(refused.StderrLines));
        }

        Assert.Equal(4, _dir.Files().Count);
    }

    [Fact]
    public void A_stinger_with_webm_also_writes_the_obs_transition()
    {
        var result = CliRunner.Run(_environment, "compose", "rock stinger 3 s", "--webm", "--out", _dir.Path);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("rock-stinger-3-s-s1.webm", _dir.Files());
        var receipt = JsonDocument.Parse(File.ReadAllText(_dir.File("rock-stinger-3-s-s1.json"))).RootElement;
        Assert.True(receipt.GetProperty("transition_point_ms").GetDouble() > 0);
    }

    [Fact]
    public void Webm_without_a_stinger_is_refused()
    {
        var result = CliRunner.Run(_environment, "compose", "calm piano 20 s", "--webm", "--out", _dir.Path);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("for stingers only", Assert.Single(result.StderrLines));
        Assert.Empty(_dir.Files());
    }

    [Theory]
    [InlineData("--key", "H minor", "is not a key")]
    [InlineData("--tempo", "500", "tempo 500 bpm is out of range; use 40-240 bpm.")]
    [InlineData("--length", "forever", "is not a length")]
    [InlineData("--format", "aac", "unknown output extension '.aac'")]
    [InlineData("--style", "polka", "polka")]
    [InlineData("--count", "0", "--count must be 1-100")]
    public void Bad_options_get_one_line_and_exit_code_2(string option, string value, string message)
    {
        var result = CliRunner.Run(_environment, "compose", "happy folk", option, value, "--out", _dir.Path);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, Assert.Single(result.StderrLines));
        Assert.Empty(_dir.Files());
    }

    [Fact]
    public void A_missing_model_says_how_to_rebuild_it()
    {
        var result = CliRunner.Run(new Dictionary<string, string> { ["COMPOSERBOT_MODELS"] = _dir.File("nomodels") }, "compose", "happy folk", "--out", _dir.File("out"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("build-models", Assert.Single(result.StderrLines));
    }
}
