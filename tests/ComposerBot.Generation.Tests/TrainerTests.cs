using ComposerBot.Generation.Neural;
using ComposerBot.Generation.Neural.Training;
using ComposerBot.Generation.Tokens;
using ComposerBot.TestSupport;

namespace ComposerBot.Generation.Tests;

[Collection(SerialTorch.Name)]
public class TrainerTests
{
    private static readonly List<TrainingPiece> Train = TinyModels.Pieces(24);
    private static readonly List<TrainingPiece> Valid = TinyModels.Pieces(6, offset: 100);

    [Fact]
    public void Training_lowers_the_validation_loss()
    {
        using var directory = new TempDirectory();
        var tokenizer = new LeadSheetTokenizer();
        using var untrained = TinyModels.Random();
        var before = SequenceScorer.Score(untrained, tokenizer, SequenceWindows.Tokenize(tokenizer, Valid, _ => 0, default));
        var reports = new List<TrainingProgress>();
        var result = Trainer.Train(TinyModels.Options(directory.Path, epochs: 8), Train, Valid, "tiny", new SyncProgress<TrainingProgress>(reports.Add));
        using var model = result.Model;
        Assert.True(result.Summary.ValidNllPerToken < before.PerToken - 1.5, $"valid NLL {result.Summary.ValidNllPerToken} vs {before.PerToken} untrained");
        Assert.Equal(8, reports.Count(r => r.Note?.StartsWith("epoch", StringComparison.Ordinal) == true)); // one validation line per epoch
        Assert.StartsWith("Training a ", reports[0].Note, StringComparison.Ordinal);
        Assert.All(reports.Where(r => r.Note is null), r => Assert.True(r.TokensPerSecond > 0 && r.Loss > 0));
        Assert.Equal(reports[^1].TotalSteps, result.Summary.Steps);
    }

    [Fact]
    public void Repeated_feels_appear_that_often_an_epoch_and_make_another_run()
    {
        using var plain = new TempDirectory();
        using var repeated = new TempDirectory();
        var options = TinyModels.Options(plain.Path, epochs: 1);
        var once = Trainer.Train(options, Train, Valid, "tiny");
        using var onceModel = once.Model;
        var waltzes = options with { CheckpointDirectory = repeated.Path, FeelRepeats = new Dictionary<string, int> { ["waltz"] = 3 } };
        var thrice = Trainer.Train(waltzes, Train, Valid, "tiny");
        using var thriceModel = thrice.Model;

        // Half the pieces are waltzes (a little shorter than the reels): each twice more, so about twice the tokens.
        Assert.InRange((double)thrice.Summary.TrainTokensSeen / once.Summary.TrainTokensSeen, 1.8, 2.05);
        Assert.Equal(Train.Count, thrice.Summary.TrainPieces);
        Assert.Equal(new Dictionary<string, int> { ["waltz"] = 3 }, thrice.Summary.FeelRepeats);
        Assert.Null(once.Summary.FeelRepeats);

        // The manifest keeps them, and a model whose manifest has them loads.
        using var saved = new TempDirectory();
        ModelFiles.Save(thriceModel, saved.Path, thrice.Summary);
        var (loaded, manifest) = ModelFiles.Load(ModelFiles.ManifestPath(saved.Path), TorchSharp.torch.CPU);
        loaded.Dispose();
        Assert.Equal(3, manifest.Training!.FeelRepeats!["waltz"]);

        // A run with repeats is another run; without them the fingerprint is what it always was.
        Assert.NotEqual(options.Fingerprint("tiny"), waltzes.Fingerprint("tiny"));
        Assert.DoesNotContain("repeats", options.Fingerprint("tiny"), StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => (options with { FeelRepeats = new Dictionary<string, int> { ["waltz"] = 0 } }).Validate());
    }

    [Fact]
    public void An_interrupted_run_resumes_to_the_same_weights_as_one_that_never_stopped()
    {
        using var straight = new TempDirectory();
        using var interrupted = new TempDirectory();
        var first = Trainer.Train(TinyModels.Options(straight.Path), Train, Valid, "tiny");
        using var uninterrupted = first.Model;

        using var cancel = new CancellationTokenSource();
        var options = TinyModels.Options(interrupted.Path);
        Assert.ThrowsAny<OperationCanceledException>(() => Trainer.Train(options, Train, Valid, "tiny", new SyncProgress<TrainingProgress>(p =>
        {
            if (p.Step == 5)
            {
                cancel.Cancel();
            }
        }), cancel.Token));
        Assert.True(File.Exists(Checkpoint.PathIn(interrupted.Path)));

        var resumed = Trainer.Train(options, Train, Valid, "tiny");
        using var model = resumed.Model;
        Assert.Equal(5, resumed.ResumedFromStep);
        Assert.Equal(first.Summary.Steps, resumed.Summary.Steps);
        Assert.Equal(TinyModels.Weights(uninterrupted), TinyModels.Weights(model));
        Assert.Equal(first.Summary.ValidNllPerToken, resumed.Summary.ValidNllPerToken);

        // Another seed is another run: its checkpoint is not this one's.
        Assert.Throws<ModelLoadException>(() => Trainer.Train(options with { Seed = 2 }, Train, Valid, "tiny"));
    }

    [Fact]
    public void A_checkpoint_of_another_version_is_refused_with_the_way_out()
    {
        using var directory = new TempDirectory();
        using (var writer = new BinaryWriter(File.Create(Checkpoint.PathIn(directory.Path))))
        {
            writer.Write("composerbot-checkpoint/1"); // TorchSharp's optimiser state followed, which this version does not read
            writer.Write(new byte[64]);
        }

        var error = Assert.Throws<ModelLoadException>(() => Trainer.Train(TinyModels.Options(directory.Path), Train, Valid, "tiny"));
        Assert.Contains("another version", error.Message, StringComparison.Ordinal);
        Assert.Contains("--fresh", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Training_while_the_garbage_collector_runs_all_the_time_reaches_the_same_weights()
    {
        // TorchSharp's optimiser makes Scalars that nothing holds while libtorch reads them: a collection then
        // frees them under libtorch (a crash or a wrong step). The trainer holds collections off during a step.
        using var quiet = new TempDirectory();
        using var stormy = new TempDirectory();
        var calm = Trainer.Train(TinyModels.Options(quiet.Path, epochs: 100), Train, Valid, "tiny");
        using var calmModel = calm.Model;
        TrainingResult underStorm;
        using (new CollectorStorm())
        {
            underStorm = Trainer.Train(TinyModels.Options(stormy.Path, epochs: 100), Train, Valid, "tiny");
        }

        using var stormModel = underStorm.Model;
        Assert.Equal(TinyModels.Weights(calmModel), TinyModels.Weights(stormModel));
    }

    [Fact]
    public void The_schedule_warms_up_then_decays_by_a_cosine_to_its_floor()
    {
        var options = TinyModels.Options("unused") with { LearningRate = 1e-3, WarmupSteps = 10, FinalLearningRateFraction = 0.1 };
        Assert.Equal(1e-4, Trainer.LearningRate(options, 1, 110), 9);
        Assert.Equal(1e-3, Trainer.LearningRate(options, 10, 110), 9);
        Assert.Equal(0.55e-3, Trainer.LearningRate(options, 60, 110), 9);
        Assert.Equal(1e-4, Trainer.LearningRate(options, 110, 110), 9);
    }

    [Fact]
    public void Long_pieces_keep_their_conditioning_prefix_in_every_window()
    {
        var random = new Random(1);
        var sequence = Enumerable.Range(0, 300).ToArray();
        var rows = SequenceWindows.Rows([sequence], context: 64, random);
        var (tokens, windowed) = Assert.Single(rows);
        Assert.True(windowed);
        Assert.Equal(65, tokens.Length);
        Assert.Equal(sequence[..SequenceWindows.PrefixLength], tokens[..SequenceWindows.PrefixLength]);
        var batch = SequenceWindows.Pack(rows);
        Assert.Equal(0, batch.Targets[SequenceWindows.PrefixLength - 1]); // the jump into the window is not scored
        Assert.All(Enumerable.Range(0, 6), t => Assert.Equal(0, batch.Targets[t])); // feel .. bars are given
        Assert.NotEqual(0, batch.Targets[6]); // density is predicted
    }
}
