using System.Text.Json;
using System.Text.Json.Nodes;
using ComposerBot.TestSupport;

namespace ComposerBot.Tests;

public sealed class EvaluateCliTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public EvaluateCliTests() => TinyCorpus.Write(_dir.File("corpus"), piecesPerDataset: 24);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Evaluate_writes_the_report_with_the_three_columns_and_the_plots()
    {
        var result = CliRunner.Run("evaluate", "--generator", "ngram", "--count", "5", "--out", _dir.File("report"), "--corpus", _dir.File("corpus"), "--cache", _dir.File("cache"));
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.StartsWith("Wrote ", result.Stdout);
        var md = File.ReadAllText(_dir.File("report/report.md"));
        Assert.Contains("| metric | n-gram | held-out | training | Note RNN (published) | RL (Q) (published) |", md);
        var json = JsonDocument.Parse(File.ReadAllText(_dir.File("report/report.json"))).RootElement;
        Assert.Equal("ngram", json.GetProperty("generator").GetString());
        Assert.InRange(json.GetProperty("mgeval").GetProperty("mean_oa_generated").GetDouble(), 0, 1);
        Assert.Equal(["intervals.png", "note-lengths.png", "overlap.png", "pitch-classes.png", "self-similarity.png"], Directory.GetFiles(_dir.File("report"), "*.png").Select(Path.GetFileName).Order());
        Assert.Contains("## Can a classifier tell them from human tunes? (two-sample test)", md);
        Assert.Contains("| n-gram vs held-out | - | too few pieces | | |", md); // 5 a side: the test needs 10
        Assert.Contains("| bars restating an earlier bar (any way) |", md);
    }

    [Theory]
    [InlineData("--top-p", "0", "--top-p must be above 0 and at most 1, not 0.")]
    [InlineData("--top-p", "1.5", "--top-p must be above 0 and at most 1, not 1.5.")]
    [InlineData("--chromatic-share", "-0.1", "--chromatic-share must be from 0 to 1, not -0.1.")]
    [InlineData("--other-top-p", "0", "--other-top-p must be above 0 and at most 1, not 0.")]
    [InlineData("--recurrence-penalty", "-1", "--recurrence-penalty must be from 0 to 10, not -1.")]
    [InlineData("--temperature", "3", "--temperature must be above 0 and at most 2, not 3.")]
    [InlineData("--candidates", "0", "--candidates must be 1-16, not 0.")]
    public void Bad_sampling_settings_are_refused_in_one_line(string option, string value, string message)
    {
        var result = CliRunner.Run("evaluate", "--generator", "ngram", option, value, "--out", _dir.File("bad"), "--corpus", _dir.File("corpus"));
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("composerbot: " + message, Assert.Single(result.StderrLines));
        Assert.False(Directory.Exists(_dir.File("bad")));
    }

    [Fact]
    public void The_model_generator_without_a_model_says_how_to_get_one()
    {
        var result = CliRunner.Run("evaluate", "--generator", "model", "--model", _dir.File("none/composer-transformer.json"), "--count", "5", "--out", _dir.File("report"), "--corpus", _dir.File("corpus"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("model file missing", Assert.Single(result.StderrLines));
        Assert.Contains("./composerbot train", result.Stderr);
        Assert.False(Directory.Exists(_dir.File("report")));
    }

    [Fact]
    public void The_settled_ending_and_doubled_leaps_can_be_measured_and_the_report_says_so()
    {
        var result = CliRunner.Run("evaluate", "--generator", "model", "--model", Path.Combine(RepositoryPaths.Models, "composer-transformer.json"), "--settled-ending", "--doubled-leaps",
            "--count", "5", "--out", _dir.File("settled"), "--corpus", _dir.File("corpus"), "--cache", _dir.File("cache"));
        Assert.True(result.ExitCode == 0, result.Stderr);
        var report = File.ReadAllText(_dir.File("settled/report.md"));
        Assert.Contains("Its melodies settled on the tonic from the middle of their last bar (--settled-ending).", report);
        Assert.Contains("It could leap twice the same way (--doubled-leaps).", report);
    }

    [Fact]
    public void A_critic_that_is_not_there_or_for_other_weights_is_refused()
    {
        var result = CliRunner.Run("evaluate", "--generator", "model", "--model", Path.Combine(RepositoryPaths.Models, "composer-transformer.json"), "--critic", _dir.File("none.json"), "--count", "5", "--out", _dir.File("report"), "--corpus", _dir.File("corpus"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--critic: no such file", Assert.Single(result.StderrLines));
        var foreign = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Models, "melody-critic.json")))!;
        foreign["model_sha256"] = "0000";
        File.WriteAllText(_dir.File("foreign.json"), foreign.ToJsonString());
        var other = CliRunner.Run("evaluate", "--generator", "model", "--model", Path.Combine(RepositoryPaths.Models, "composer-transformer.json"), "--critic", _dir.File("foreign.json"), "--count", "5", "--out", _dir.File("report"), "--corpus", _dir.File("corpus"));
        Assert.Equal(2, other.ExitCode);
        Assert.Contains("was fitted for other weights", Assert.Single(other.StderrLines));
        Assert.False(Directory.Exists(_dir.File("report")));
    }

    [Fact]
    public void A_calibration_that_is_not_there_is_refused()
    {
        var result = CliRunner.Run("evaluate", "--generator", "model", "--model", Path.Combine(RepositoryPaths.Models, "composer-transformer.json"), "--calibration", _dir.File("none.json"), "--count", "5", "--out", _dir.File("report"), "--corpus", _dir.File("corpus"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--calibration: no such file", Assert.Single(result.StderrLines));
        Assert.False(Directory.Exists(_dir.File("report")));
    }

    [Fact]
    public void A_missing_corpus_is_refused_clearly()
    {
        var result = CliRunner.Run("evaluate", "--generator", "ngram", "--out", _dir.File("report"), "--corpus", _dir.File("nowhere"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("corpus folder not found", Assert.Single(result.StderrLines));
    }

    [Fact]
    public void A_folder_that_is_not_a_corpus_is_refused_clearly()
    {
        var result = CliRunner.Run("evaluate", "--generator", "ngram", "--out", _dir.File("report"), "--corpus", _dir.Path);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("manifest.json not found", Assert.Single(result.StderrLines));
    }

    [Fact]
    public void Too_small_a_count_is_refused()
    {
        var result = CliRunner.Run("evaluate", "--generator", "ngram", "--count", "1", "--out", _dir.File("report"), "--corpus", _dir.File("corpus"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--count must be at least 2", Assert.Single(result.StderrLines));
    }
}
