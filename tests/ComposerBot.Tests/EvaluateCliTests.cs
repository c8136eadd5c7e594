using System.Text.Json;
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
        Assert.Equal(4, Directory.GetFiles(_dir.File("report"), "*.png").Length);
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
