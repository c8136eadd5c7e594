using System.Text.Json;
using ComposerBot.TestSupport;

namespace ComposerBot.Tests;

public sealed class ClustersCliTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Dictionary<string, string> _shipped = new() { ["COMPOSERBOT_MODELS"] = RepositoryPaths.Models };

    public ClustersCliTests() => TinyCorpus.Write(_dir.File("corpus"), piecesPerDataset: 24);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Clusters_writes_the_named_clusters_and_their_page()
    {
        var result = CliRunner.Run("clusters", "--corpus", _dir.File("corpus"), "--cache", _dir.File("cache"), "--k", "3", "--out", _dir.File("models"), "--docs", _dir.File("docs"));
        Assert.True(result.ExitCode == 0, result.Stderr);
        var clusters = JsonDocument.Parse(File.ReadAllText(_dir.File("models/clusters.json"))).RootElement.GetProperty("clusters");
        Assert.Equal(3, clusters.GetArrayLength());
        Assert.All(clusters.EnumerateArray(), c => Assert.False(string.IsNullOrEmpty(c.GetProperty("name").GetString())));
        Assert.Contains("| cluster | feel token |", File.ReadAllText(_dir.File("docs/clusters.md")));
        Assert.True(new FileInfo(_dir.File("docs/clusters.png")).Length > 10_000);
    }

    [Fact]
    public void A_bad_k_is_refused()
    {
        var result = CliRunner.Run("clusters", "--corpus", _dir.File("corpus"), "--k", "1", "--out", _dir.File("models"), "--docs", _dir.File("docs"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--k must be 2-30", Assert.Single(result.StderrLines));
        Assert.False(Directory.Exists(_dir.File("models")));
    }

    [Theory]
    [InlineData("happy folk 8 bars", "hornpipe", "hornpipe")]
    [InlineData("a chorale 8 bars", null, "chorale")]
    [InlineData("celtic jig 8 bars", null, "jig")]
    public void Compose_conditions_on_the_feel_asked_for(string prompt, string? feel, string expected)
    {
        string[] args = feel is null
            ? ["compose", prompt, "--out", _dir.File("tracks"), "--json", "--format", "ogg"]
            : ["compose", prompt, "--feel", feel, "--out", _dir.File("tracks"), "--json", "--format", "ogg"];
        var result = CliRunner.Run(_shipped, args);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var receipt = JsonDocument.Parse(File.ReadAllText(Directory.GetFiles(_dir.File("tracks"), "*.json").Single())).RootElement;
        Assert.Equal(expected, receipt.GetProperty("feel").GetString());
    }

    [Fact]
    public void An_unknown_feel_lists_the_clusters()
    {
        var result = CliRunner.Run(_shipped, "compose", "happy folk", "--feel", "polka", "--out", _dir.File("tracks"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown feel 'polka': use one of", Assert.Single(result.StderrLines));
        Assert.False(Directory.Exists(_dir.File("tracks")));
    }
}
