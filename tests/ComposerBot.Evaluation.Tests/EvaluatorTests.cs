using ComposerBot.Music.Metrics;
using ComposerBot.TestSupport;

namespace ComposerBot.Evaluation.Tests;

public sealed class EvaluatorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public EvaluatorTests() => TinyCorpus.Write(_dir.File("corpus"), piecesPerDataset: 24);

    public void Dispose() => _dir.Dispose();

    private EvaluationRequest Request(GeneratorKind kind) => new(kind, 6, _dir.File("out"), _dir.File("corpus"), _dir.File("cache"));

    [Fact]
    public void The_ngram_report_has_all_three_sets_and_every_feature()
    {
        var report = Evaluator.Run(Request(GeneratorKind.Ngram));
        Assert.Equal(6, report.Generated.Pieces);
        Assert.Equal(6, report.Heldout.Pieces);
        Assert.Equal(6, report.Training.Pieces);
        Assert.Equal(Music.Metrics.MelodyFeatures.Names, report.GeneratedVsHeldout.Select(c => c.Feature));
        Assert.All(report.GeneratedVsHeldout, c => Assert.InRange(c.OverlappingArea, 0, 1));
        Assert.NotNull(report.Generated.Originality);
        Assert.Null(report.Training.Originality);
        Assert.True(report.Heldout.NgramNllPerNote > report.Training.NgramNllPerNote);
        Assert.Single(Directory.GetFiles(_dir.File("cache"), "originality-*.bin.gz"));
    }

    [Fact]
    public void The_model_generator_without_a_model_says_how_to_train_one() =>
        Assert.Contains("./composerbot train", Assert.Throws<EvaluationException>(() => Evaluator.Run(Request(GeneratorKind.Model) with { ModelPath = _dir.File("none.json") })).Message);

    [Fact]
    public void The_shipped_model_is_measured_with_its_likelihood_beside_the_ngrams()
    {
        var report = Evaluator.Run(Request(GeneratorKind.Model) with { ModelPath = ShippedModel(), Device = "cpu" });
        Assert.Equal("model", report.GeneratorName);
        Assert.Equal(6, report.Generated.Pieces);
        var likelihood = Assert.IsType<ModelLikelihood>(report.ModelLikelihood);
        Assert.Equal(6, likelihood.Pieces);
        Assert.InRange(likelihood.NllPerNote, 0.1, 20);
        Assert.NotNull(likelihood.NgramNllPerNote);
        // Out-of-key notes only within compose's budget.
        Assert.InRange(report.Generated.Theory.NotInKeyPercent, 0, 100 * new Generation.Neural.SamplingOptions().ChromaticShare);
    }

    /// <summary>models/composer-transformer.json of this repository.</summary>
    private static string ShippedModel()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "models", "composer-transformer.json");
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException("models/composer-transformer.json not found above the test's folder");
    }

    [Fact]
    public async Task The_report_files_and_plots_are_written()
    {
        var report = Evaluator.Run(Request(GeneratorKind.Heldout));
        Directory.CreateDirectory(_dir.File("out"));
        var plots = PlotWriter.WriteAll(report, _dir.File("out"));
        await ReportWriter.WriteAsync(report, plots, _dir.File("out"), CancellationToken.None);
        Assert.Equal(["features.csv", "intervals.png", "note-lengths.png", "overlap.png", "pitch-classes.png", "report.json", "report.md", "self-similarity.png"], Directory.GetFiles(_dir.File("out")).Select(Path.GetFileName).Order());
        var md = await File.ReadAllTextAsync(_dir.File("out/report.md"));
        Assert.Contains("| notes not in key |", md);
        Assert.Contains("![overlap](overlap.png)", md);
        Assert.All(plots, p => Assert.True(new FileInfo(p).Length > 5000));

        // One row per piece of each set the test compared: the set's name, the piece's feel, one column per feature.
        var csv = await File.ReadAllLinesAsync(_dir.File("out/features.csv"));
        Assert.Equal(["set", "feel", .. PieceFeatures.Names], csv[0].Split(','));
        Assert.Equal(report.Generated.Pieces, csv.Count(l => l.StartsWith("generated,", StringComparison.Ordinal)));
        Assert.Equal(report.Heldout.Pieces, csv.Count(l => l.StartsWith("heldout,", StringComparison.Ordinal)));
        Assert.All(csv.Skip(1), l => Assert.Equal(PieceFeatures.Names.Count + 2, l.Split(',').Length));
        Assert.All(csv.Skip(1), l => Assert.Contains(l.Split(',')[1], Generation.Tokens.LeadSheetTokenizer.Feels));
    }
}
