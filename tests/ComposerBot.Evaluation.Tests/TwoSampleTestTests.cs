using ComposerBot.Music.Metrics;
using ComposerBot.TestSupport;

namespace ComposerBot.Evaluation.Tests;

public sealed class TwoSampleTestTests
{
    private static List<double[]> Gaussian(int count, double mean, int seed)
    {
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return [.. Enumerable.Range(0, count).Select(_ => new[] { mean + Normal(), Normal(), Normal() })];
    }

    private static readonly string[] Names = ["shifted", "noise 1", "noise 2"];

    [Fact]
    public void Sets_that_differ_are_told_apart_by_the_feature_that_differs()
    {
        var result = TwoSampleTest.Run("a vs b", Gaussian(200, 3, 1), Gaussian(200, 0, 2), Names, seed: 1);
        Assert.Equal(200, result.PiecesPerSide);
        Assert.True(result.Accuracy > 0.9, $"accuracy {result.Accuracy}");
        Assert.Equal("shifted", result.Telltales[0].Feature);
        Assert.True(result.Telltales[0].Weight > 0);
    }

    [Fact]
    public void Sets_from_one_distribution_are_told_apart_about_half_the_time()
    {
        var result = TwoSampleTest.Run("a vs a", Gaussian(200, 0, 3), Gaussian(200, 0, 4), Names, seed: 1);
        Assert.InRange(result.Accuracy, 0.4, 0.6);
        Assert.True(result.Low < 0.5 && result.High > 0.5, $"{result.Low}-{result.High}");
    }

    [Fact]
    public void The_larger_set_is_cut_to_balance_and_too_few_pieces_are_refused()
    {
        Assert.Equal(30, TwoSampleTest.Run("a vs b", Gaussian(30, 1, 5), Gaussian(90, 0, 6), Names, seed: 1).PiecesPerSide);
        Assert.Throws<ArgumentException>(() => TwoSampleTest.Run("a vs b", Gaussian(9, 1, 5), Gaussian(90, 0, 6), Names, seed: 1));
    }

    [Fact]
    public void One_feature_alone_separates_the_sets_by_its_best_threshold()
    {
        var result = TwoSampleTest.Run("a vs b", Gaussian(200, 3, 1), Gaussian(200, 0, 2), Names, seed: 1);
        var shifted = result.Separations[0];
        Assert.Equal("shifted", shifted.Feature);
        Assert.InRange(shifted.MeanA - shifted.MeanB, 2.7, 3.3);
        // Two unit normals 3 apart: the midpoint threshold is right with probability Phi(1.5) = 93.3%.
        Assert.InRange(shifted.StumpAccuracy, 0.89, 0.97);
        Assert.All(result.Separations.Skip(1), s => Assert.InRange(s.StumpAccuracy, 0.5, 0.6));

        // Exact on a small case: 1, 2, 3 against 2.5, 4, 5 splits best at 3 (5 of 6 right), either set on either side.
        Assert.Equal(5.0 / 6, TwoSampleTest.Separation("x", [1, 2, 3], [2.5, 4, 5]).StumpAccuracy, 9);
        Assert.Equal(5.0 / 6, TwoSampleTest.Separation("x", [2.5, 4, 5], [1, 2, 3]).StumpAccuracy, 9);
        Assert.Equal(0.5, TwoSampleTest.Separation("x", [1, 1, 1], [1, 1, 1]).StumpAccuracy, 9);
    }

    [Fact]
    public void Wilson_interval_matches_the_textbook_value()
    {
        // 50 of 100: 0.4038 to 0.5962 (Wilson 1927, z = 1.96).
        var (low, high) = TwoSampleTest.Wilson(50, 100);
        Assert.Equal(0.4038, low, 4);
        Assert.Equal(0.5962, high, 4);
    }

    [Fact]
    public async Task The_report_holds_the_two_sample_test_the_structure_table_and_self_similarity_pictures()
    {
        using var dir = new TempDirectory();
        TinyCorpus.Write(dir.File("corpus"), piecesPerDataset: 80);
        var report = Evaluator.Run(new EvaluationRequest(GeneratorKind.Ngram, 12, dir.File("out"), dir.File("corpus"), dir.File("cache")));
        var test = Assert.IsType<TwoSampleResult>(report.GeneratedVsHeldoutTest);
        Assert.Equal(12, test.PiecesPerSide);
        Assert.Equal(12, Assert.IsType<TwoSampleResult>(report.HumanVsHumanTest).PiecesPerSide);
        Assert.InRange(report.Heldout.Structure.BarRepeats, 0, 1);
        Assert.Equal(3, report.SelfSimilarityExamples.Count);
        Assert.All(report.SelfSimilarityExamples, e => Assert.Equal(3, e.Pieces.Count));
        Assert.Equal(PieceFeatures.Names.Order(), test.Separations.Select(s => s.Feature).Order());
        Assert.Contains("accuracy alone", ReportWriter.TwoSampleTable(report));

        Directory.CreateDirectory(dir.File("out"));
        var plots = PlotWriter.WriteAll(report, dir.File("out"));
        await ReportWriter.WriteAsync(report, plots, dir.File("out"), CancellationToken.None);
        var md = await File.ReadAllTextAsync(dir.File("out/report.md"));
        Assert.Contains("| n-gram vs held-out | 12 |", md);
        Assert.Contains("| human vs human (valid vs held-out) | 12 |", md);
        Assert.Contains("| 4-bar phrases restating an earlier one |", md);
        Assert.Contains("![self-similarity](self-similarity.png)", md);
        Assert.True(new FileInfo(dir.File("out/self-similarity.png")).Length > 5000);
        var json = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(dir.File("out/report.json")))!;
        Assert.Equal(12, (int)json["two_sample_test"]!["generated_vs_heldout"]!["pieces_per_side"]!);
        Assert.NotNull(json["sets"]!["heldout"]!["structure"]!["structureness_mid"]);
    }
}
