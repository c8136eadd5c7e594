using System.Diagnostics;
using System.Text.Json;
using ComposerBot.TestSupport;

namespace ComposerBot.Tests;

public sealed class TrainCliTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public TrainCliTests() => TinyCorpus.Write(_dir.File("corpus"), piecesPerDataset: 24);

    public void Dispose() => _dir.Dispose();

    /// <summary>A tiny, quick training run; <paramref name="extra"/> adds options or replaces the defaults'.</summary>
    private string[] Train(string checkpoints, string output, int epochs, params string[] extra)
    {
        var options = new Dictionary<string, string>
        {
            ["--corpus"] = _dir.File("corpus"), ["--cache"] = _dir.File("cache"), ["--checkpoints"] = checkpoints, ["--out"] = output,
            ["--epochs"] = epochs.ToString(System.Globalization.CultureInfo.InvariantCulture), ["--model-dim"] = "32", ["--layers"] = "1", ["--heads"] = "2",
            ["--context"] = "256", ["--batch-tokens"] = "1024", ["--device"] = "cpu", ["--threads"] = "1",
        };
        for (var i = 0; i + 1 < extra.Length; i += 2)
        {
            options[extra[i]] = extra[i + 1];
        }

        return ["train", .. options.SelectMany(o => new[] { o.Key, o.Value })];
    }

    [Fact]
    public void Feel_repeats_are_recorded_in_the_manifest_and_a_bad_one_is_refused_in_one_line()
    {
        var models = _dir.File("repeated");
        var train = CliRunner.Run(Train(_dir.File("ckpt-repeated"), models, 1, "--feel-repeats", "Jig=2"));
        Assert.True(train.ExitCode == 0, train.Stderr);
        Assert.Contains("(repeated: jig=2)", train.Stderr);
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(models, "composer-transformer.json"))).RootElement;
        Assert.Equal(2, manifest.GetProperty("training").GetProperty("feel_repeats").GetProperty("jig").GetInt32());

        foreach (var (bad, why) in new[] { ("polka=x", "'polka=x' needs a whole number"), ("tango=2", "'tango' is not a feel"), ("jig=0", "1 to 16 times") })
        {
            var refused = CliRunner.Run(Train(_dir.File("ckpt-bad"), _dir.File("bad"), 1, "--feel-repeats", bad));
            Assert.Equal(2, refused.ExitCode);
            Assert.Single(refused.Stderr.Trim().Split('\n'));
            Assert.Contains(why, refused.Stderr);
            Assert.False(Directory.Exists(_dir.File("bad")));
        }
    }

    [Fact]
    public void A_trained_model_is_evaluated_and_composes_tracks()
    {
        var models = _dir.File("models");
        var train = CliRunner.Run(Train(_dir.File("ckpt"), models, epochs: 2));
        Assert.True(train.ExitCode == 0, train.Stderr);
        Assert.Contains("valid NLL", train.Stdout);
        Assert.Contains("epoch 2: valid NLL", train.Stderr);
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(models, "composer-transformer.json"))).RootElement;
        var sha = manifest.GetProperty("weights_sha256").GetString();
        Assert.Equal(32, manifest.GetProperty("config").GetProperty("model_dim").GetInt32());
        Assert.True(manifest.GetProperty("training").GetProperty("valid_nll_per_note").GetDouble() > 0);

        // Fit its sampling calibration on the valid split: written beside it, for exactly these weights.
        var calibrate = CliRunner.Run("calibrate", "--model", Path.Combine(models, "composer-transformer.json"), "--count", "6", "--iterations", "2", "--device", "cpu", "--corpus", _dir.File("corpus"), "--cache", _dir.File("cache"));
        Assert.True(calibrate.ExitCode == 0, calibrate.Stderr);
        Assert.Matches(@"step sizes \d\.\d{3} -> \d\.\d{3}, note lengths \d\.\d{3} -> \d\.\d{3} from the valid split's \(total variation; \d+ melodies, 2 rounds\)", calibrate.Stdout);
        var calibration = JsonDocument.Parse(File.ReadAllText(Path.Combine(models, "sampling-calibration.json"))).RootElement;
        Assert.Equal(sha, calibration.GetProperty("model_sha256").GetString());
        Assert.Equal(14, calibration.GetProperty("interval_bias").GetArrayLength());
        Assert.Equal("valid", calibration.GetProperty("fit").GetProperty("split").GetString());
        Assert.False(calibration.TryGetProperty("sixteenth_share", out _), "compose's calibration has no sixteenth shares unless asked");

        // Asked for, the feels' shares of tunes with sixteenths come with it (to another file).
        var withShares = CliRunner.Run("calibrate", "--model", Path.Combine(models, "composer-transformer.json"), "--count", "6", "--iterations", "1", "--device", "cpu", "--sixteenth-shares", "--out", _dir.File("shares.json"), "--corpus", _dir.File("corpus"), "--cache", _dir.File("cache"));
        Assert.True(withShares.ExitCode == 0, withShares.Stderr);
        Assert.InRange(JsonDocument.Parse(File.ReadAllText(_dir.File("shares.json"))).RootElement.GetProperty("sixteenth_share").GetProperty("*").GetDouble(), 0, 1);

        // Fit its melody critic on the valid split, sampling with that calibration: written beside it, for these weights.
        var fitCritic = CliRunner.Run("critic", "--model", Path.Combine(models, "composer-transformer.json"), "--count", "6", "--device", "cpu", "--corpus", _dir.File("corpus"), "--cache", _dir.File("cache"));
        Assert.True(fitCritic.ExitCode == 0, fitCritic.Stderr);
        Assert.Matches(@"tells the model's melodies from \d+ valid-split tunes too few to cross-validate \(sampled with the model's calibration\)", fitCritic.Stdout);
        var critic = JsonDocument.Parse(File.ReadAllText(Path.Combine(models, "melody-critic.json"))).RootElement;
        Assert.Equal(sha, critic.GetProperty("model_sha256").GetString());
        Assert.Equal("valid", critic.GetProperty("fit").GetProperty("split").GetString());
        Assert.Equal(critic.GetProperty("features").GetArrayLength(), critic.GetProperty("weights").GetArrayLength());

        var evaluate = CliRunner.Run("evaluate", "--generator", "model", "--model", Path.Combine(models, "composer-transformer.json"), "--count", "4", "--out", _dir.File("report"), "--corpus", _dir.File("corpus"), "--cache", _dir.File("cache"));
        Assert.True(evaluate.ExitCode == 0, evaluate.Stderr);
        Assert.Contains("model NLL", evaluate.Stdout);
        Assert.Contains("The model sampled with its calibration (fitted on the valid split", File.ReadAllText(_dir.File("report/report.md")));
        Assert.Contains("It wrote 4 melodies per piece and its critic (fitted on the valid split", File.ReadAllText(_dir.File("report/report.md")));
        var report = JsonDocument.Parse(File.ReadAllText(_dir.File("report/report.json"))).RootElement;
        Assert.Equal(sha, report.GetProperty("model_likelihood").GetProperty("model_id").GetString());
        Assert.Contains("## Likelihood under the neural model", File.ReadAllText(_dir.File("report/report.md")));

        // Compose with it: the shipped n-gram and index beside the new model.
        foreach (var file in Directory.GetFiles(RepositoryPaths.Models, "*.bin.gz"))
        {
            File.Copy(file, Path.Combine(models, Path.GetFileName(file)));
        }

        var environment = new Dictionary<string, string> { ["COMPOSERBOT_MODELS"] = models };
        var compose = CliRunner.Run(environment, "compose", "folk jig 10s", "--generator", "model", "--out", _dir.File("tracks"), "--json", "--format", "ogg");
        Assert.True(compose.ExitCode == 0, compose.Stderr);
        var receipt = JsonDocument.Parse(File.ReadAllText(Directory.GetFiles(_dir.File("tracks"), "*.json").Single())).RootElement;
        Assert.Equal("model", receipt.GetProperty("model").GetString());
        Assert.Equal(sha, receipt.GetProperty("model_sha256").GetString());
        Assert.Matches("^[0-9a-f]{64}$", receipt.GetProperty("sampling_sha256").GetString()); // its calibration and critic chose the melody

        // Fine-tune it with theory rewards (two tiny steps): a second model beside the first.
        var tune = CliRunner.Run("tune", "--prior", Path.Combine(models, "composer-transformer.json"), "--out", models, "--steps", "2", "--batch", "2", "--device", "cpu", "--compare", "4", "--checkpoint-every", "1", "--updates-per-batch", "2", "--corpus", _dir.File("corpus"), "--cache", _dir.File("cache"));
        Assert.True(tune.ExitCode == 0, tune.Stderr);
        Assert.Contains("over 1 run(s); valid NLL", tune.Stdout);
        Assert.Contains("step 2/2 reward", tune.Stderr);
        Assert.Matches(@"structure term aimed at \d+\.\d% of notes in a repeated motif", tune.Stderr); // the whole reward, by default
        Assert.Contains("; p HarmoniousInterval ", tune.Stderr);
        var checkpoint = Path.Combine(models, "checkpoints", "composer-tuned-step1.json");
        Assert.Contains($"step 1: checkpoint {checkpoint}", tune.Stderr);
        Assert.False(File.Exists(Path.Combine(models, "checkpoints", "composer-tuned-step2.json"))); // the last step is the result

        // Go on from the checkpoint (the KL still from the prior); a checkpoint of another shape is refused.
        var more = CliRunner.Run("tune", "--prior", Path.Combine(models, "composer-transformer.json"), "--from", checkpoint, "--out", _dir.File("more"), "--steps", "1", "--batch", "2", "--device", "cpu", "--compare", "0", "--reward", "leaps");
        Assert.True(more.ExitCode == 0, more.Stderr);
        Assert.Contains("validation NLL was not measured", more.Stderr);

        // The chain's tuning block sums the runs mechanically; the tuned model's own NLL is measured, never the prior's carried over.
        var chained = JsonDocument.Parse(File.ReadAllText(_dir.File("more/composer-tuned.json"))).RootElement;
        Assert.Equal(JsonValueKind.Null, chained.GetProperty("training").ValueKind);
        Assert.Equal(2, chained.GetProperty("tuning").GetProperty("runs").GetInt32());
        Assert.Equal(2, chained.GetProperty("tuning").GetProperty("steps").GetInt32());
        Assert.Equal(sha, chained.GetProperty("tuning").GetProperty("prior_sha256").GetString());
        Assert.Equal(JsonValueKind.Null, chained.GetProperty("tuning").GetProperty("valid_nll_per_note").ValueKind);
        var shipped = Path.Combine(RepositoryPaths.Models, "composer-transformer.json");
        var mismatch = CliRunner.Run("tune", "--prior", Path.Combine(models, "composer-transformer.json"), "--from", shipped, "--out", _dir.File("mismatch"), "--steps", "1", "--device", "cpu");
        Assert.Equal(2, mismatch.ExitCode);
        Assert.Contains("has another shape than the prior", Assert.Single(mismatch.StderrLines));
        Assert.False(Directory.Exists(_dir.File("mismatch")));
        var side = File.ReadAllText(Path.Combine(models, "tuning-report.md"));
        Assert.Contains("| metric | prior | tuned | Note RNN (published) | RL (Q) (published) |", side, StringComparison.Ordinal);
        Assert.Matches(@"\| starts with tonic \| \d+\.\d% \| \d+\.\d% \| 0\.9% \| 28\.8% \|", side);
        Assert.Matches(@"\| KL\(tuned ‖ prior\) \| \| -?\d+\.\d{4} nats/token", side);
        var tuned = JsonDocument.Parse(File.ReadAllText(Path.Combine(models, "composer-tuned.json"))).RootElement;
        var tunedSha = tuned.GetProperty("weights_sha256").GetString()!;
        Assert.NotEqual(sha, tunedSha);
        var tuning = tuned.GetProperty("tuning");
        Assert.Equal((1, 2), (tuning.GetProperty("runs").GetInt32(), tuning.GetProperty("steps").GetInt32()));
        Assert.NotEqual(manifest.GetProperty("training").GetProperty("valid_nll_per_note").GetDouble(), tuning.GetProperty("valid_nll_per_note").GetDouble());
        Assert.Contains($"sha256 {tunedSha}", side, StringComparison.Ordinal);
        Assert.Contains("Tuned for 2 steps of 2 (2 updates each) rewarding RL Tuner's whole reward (TonicStart, LeapResolution, TonicEnd, InKey,", side, StringComparison.Ordinal);
        Assert.Matches(@"\| ends on the tonic \| \d+\.\d% \| \d+\.\d% \|", side);
        Assert.Matches(@"\| notes that are a third leap in a row \| \d+\.\d\d% \| \d+\.\d\d% \|", side);

        // Redo the report for the model already there: it names the weights it compared.
        var again = CliRunner.Run("tune", "--prior", Path.Combine(models, "composer-transformer.json"), "--out", models, "--report-only", "--compare", "2", "--device", "cpu");
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains($"The tuned model: composer-tuned.weights (sha256 {tunedSha}); the prior: sha256 {sha}.", File.ReadAllText(Path.Combine(models, "tuning-report.md")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("calibrate", "--iterations", "0", "--iterations must be 1-20, not 0.")]
    [InlineData("calibrate", "--count", "1", "--count must be 2-5000, not 1.")]
    [InlineData("critic", "--count", "1", "--count must be 2-5000, not 1.")]
    [InlineData("critic", "--count", "x", "Cannot parse argument 'x' for option '--count' as expected type 'System.Int32'. (see 'composerbot --help')")]
    public void Calibrate_and_critic_refuse_bad_options_in_one_line(string command, string option, string value, string message)
    {
        var result = CliRunner.Run(command, option, value, "--out", _dir.File("fitted.json"), "--corpus", _dir.File("corpus"));
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"composerbot: {message}", Assert.Single(result.StderrLines));
        Assert.False(File.Exists(_dir.File("fitted.json")));
    }

    [Fact]
    public void Critic_without_a_model_or_a_corpus_says_so_and_writes_nothing()
    {
        var noModel = CliRunner.Run("critic", "--model", _dir.File("none/composer-transformer.json"), "--corpus", _dir.File("corpus"), "--out", _dir.File("critic.json"));
        Assert.Equal(2, noModel.ExitCode);
        Assert.Contains("model file missing", Assert.Single(noModel.StderrLines));
        var noCorpus = CliRunner.Run("critic", "--model", Path.Combine(RepositoryPaths.Models, "composer-transformer.json"), "--corpus", _dir.File("nowhere"), "--out", _dir.File("critic.json"));
        Assert.Equal(2, noCorpus.ExitCode);
        Assert.Contains("corpus folder not found", Assert.Single(noCorpus.StderrLines));
        Assert.False(File.Exists(_dir.File("critic.json")));
    }

    [Fact]
    public void Calibrate_without_a_model_or_a_corpus_says_so()
    {
        var noModel = CliRunner.Run("calibrate", "--model", _dir.File("none/composer-transformer.json"), "--corpus", _dir.File("corpus"));
        Assert.Equal(2, noModel.ExitCode);
        Assert.Contains("model file missing", Assert.Single(noModel.StderrLines));
        var noCorpus = CliRunner.Run("calibrate", "--model", Path.Combine(RepositoryPaths.Models, "composer-transformer.json"), "--corpus", _dir.File("nowhere"));
        Assert.Equal(2, noCorpus.ExitCode);
        Assert.Contains("corpus folder not found", Assert.Single(noCorpus.StderrLines));
    }

    [Fact]
    public void Tune_refuses_bad_options_and_a_missing_prior()
    {
        var bad = CliRunner.Run("tune", "--steps", "0", "--out", _dir.File("models"));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--steps and --updates-per-batch must be at least 1", Assert.Single(bad.StderrLines));
        var noUpdates = CliRunner.Run("tune", "--updates-per-batch", "0", "--out", _dir.File("models"));
        Assert.Equal(2, noUpdates.ExitCode);
        Assert.Contains("--updates-per-batch must be at least 1", Assert.Single(noUpdates.StderrLines));
        var reward = CliRunner.Run("tune", "--reward", "most", "--out", _dir.File("models"));
        Assert.Equal(2, reward.ExitCode);
        Assert.Contains("most", Assert.Single(reward.StderrLines));
        var noCorpus = CliRunner.Run("tune", "--steps", "1", "--device", "cpu", "--out", _dir.File("models"));
        Assert.Equal(2, noCorpus.ExitCode);
        Assert.Equal("composerbot: --reward whole aims the structure term at the training tunes' repetition: pass --corpus PATH (or use --reward leaps).", Assert.Single(noCorpus.StderrLines));
        var missing = CliRunner.Run("tune", "--prior", _dir.File("none.json"), "--out", _dir.File("models"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("model file missing", Assert.Single(missing.StderrLines));
        Assert.False(Directory.Exists(_dir.File("models")));
    }

    [Fact]
    public void A_killed_run_resumes_from_its_last_checkpoint()
    {
        var checkpoints = _dir.File("ckpt");
        var checkpoint = Path.Combine(checkpoints, "checkpoint.bin");
        using (var process = Process.Start(CliRunner.StartInfo(null, Train(checkpoints, _dir.File("models"), epochs: 40, "--checkpoint-every", "3")))!)
        {
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (!File.Exists(checkpoint) && !process.HasExited && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }

            Assert.True(File.Exists(checkpoint), "no checkpoint was written");
            process.Kill(entireProcessTree: true); // kill -9: no chance to save anything more
            process.WaitForExit();
        }

        Assert.False(File.Exists(_dir.File("models/composer-transformer.json")));
        var resumed = CliRunner.Run(Train(checkpoints, _dir.File("models"), epochs: 40, "--checkpoint-every", "3"));
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Matches(@"resumed at step \d+", resumed.Stdout);
        Assert.True(File.Exists(_dir.File("models/composer-transformer.json")));

        // Other options are another run: its checkpoint is not reused silently.
        var other = CliRunner.Run(Train(checkpoints, _dir.File("models2"), epochs: 41));
        Assert.Equal(2, other.ExitCode);
        Assert.Contains("--fresh", Assert.Single(other.StderrLines));
        Assert.False(Directory.Exists(_dir.File("models2")));
    }

    [Theory]
    [InlineData("--heads", "3", "bad training options")]
    [InlineData("--epochs", "0", "bad training options")]
    [InlineData("--device", "tpu", "unknown device 'tpu'")]
    public void Bad_options_are_refused_in_one_line(string option, string value, string message)
    {
        var result = CliRunner.Run(Train(_dir.File("ckpt"), _dir.File("models"), epochs: 1, option, value));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, Assert.Single(result.StderrLines));
        Assert.False(Directory.Exists(_dir.File("models")));
    }
}
