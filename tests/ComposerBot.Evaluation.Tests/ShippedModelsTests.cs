using System.Globalization;
using System.Text.RegularExpressions;
using ComposerBot.TestSupport;

namespace ComposerBot.Evaluation.Tests;

/// <summary>
/// The shipped weights measured again: each model's NLL per melody note on 40 held-out pieces of the shared
/// corpus (the sample <c>evaluate --count 40 --seed 1</c> scores) must stay within 3% of the figure the model
/// card states, so untrained or swapped weights fail here.
/// </summary>
public sealed partial class ShippedModelsTests(TempDirectory cache) : IClassFixture<TempDirectory>
{
    private readonly TempDirectory _cache = cache;

    [Theory]
    [InlineData("composer-transformer")]
    public void The_shipped_model_scores_the_held_out_pieces_as_its_card_says(string name)
    {
        Assert.True(Directory.Exists(RepositoryPaths.SharedCorpus), $"the shared corpus is missing at {RepositoryPaths.SharedCorpus}: this test measures the shipped models on its held-out split.");
        var card = File.ReadAllText(Path.Combine(RepositoryPaths.Models, "MODEL_CARD.md"));
        var match = CardFigure().Matches(card).FirstOrDefault(m => m.Groups["name"].Value == name);
        Assert.True(match is not null, $"MODEL_CARD.md states no held-out check figure for {name}");
        var stated = double.Parse(match.Groups["nll"].Value, CultureInfo.InvariantCulture);

        var request = new EvaluationRequest(GeneratorKind.Model, 40, _cache.File("out"), RepositoryPaths.SharedCorpus, _cache.Path)
        {
            ModelPath = Path.Combine(RepositoryPaths.Models, name + ".json"),
            Device = "cpu",
        };
        var measured = Evaluator.HeldoutLikelihood(request);
        Assert.InRange(measured.Pieces, 38, 40);
        Assert.True(Math.Abs(measured.NllPerNote - stated) <= 0.03 * stated, $"{name}: measured {measured.NllPerNote:0.000} nats per note, the card states {stated:0.000}");
    }

    [Fact]
    public void The_shipped_sampling_calibration_was_fitted_for_the_shipped_weights()
    {
        var manifest = Generation.Neural.ModelFiles.ReadManifest(Path.Combine(RepositoryPaths.Models, "composer-transformer.json"));
        var calibration = Generation.Neural.SamplingCalibration.LoadFor(Path.Combine(RepositoryPaths.Models, Generation.Neural.SamplingCalibration.FileName), manifest.WeightsSha256);
        Assert.True(calibration is not null, "models/sampling-calibration.json is missing or was fitted for other weights: run './composerbot calibrate'");
        Assert.Equal("valid", calibration.Fit.Split);
        Assert.True(calibration.Fit.IntervalDistanceAfter < calibration.Fit.IntervalDistanceBefore, "the fit brought the step sizes no nearer the valid split's");
        Assert.True(calibration.Fit.DurationDistanceAfter <= calibration.Fit.DurationDistanceBefore, "the fit took the note lengths further from the valid split's");
    }

    [Fact]
    public void The_shipped_melody_critic_was_fitted_for_the_shipped_weights_on_the_valid_split()
    {
        var manifest = Generation.Neural.ModelFiles.ReadManifest(Path.Combine(RepositoryPaths.Models, "composer-transformer.json"));
        var critic = Generation.Neural.MelodyCritic.LoadFor(Path.Combine(RepositoryPaths.Models, Generation.Neural.MelodyCritic.FileName), manifest.WeightsSha256);
        Assert.True(critic is not null, "models/melody-critic.json is missing or was fitted for other weights: run './composerbot critic'");
        Assert.Equal("valid", critic.Fit.Split);
        Assert.True(critic.Fit.Pieces >= 200, $"the critic learnt from {critic.Fit.Pieces} tunes");
        Assert.InRange(critic.Fit.CrossValidatedAccuracy ?? 0, 0.55, 1); // it can tell the model's melodies from human ones, so it has something to choose by
    }

    [GeneratedRegex(@"^\| `(?<name>composer-[a-z]+)` \| (?<nll>\d+\.\d+) \|", RegexOptions.Multiline)]
    private static partial Regex CardFigure();
}
