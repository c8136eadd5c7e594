using System.Text.Json;
using ComposerBot.TestSupport;

namespace ComposerBot.Tests;

/// <summary>`composerbot key` and `composerbot verify` as a creator runs them on their files and uploads.</summary>
public sealed class VerifyCliTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Dictionary<string, string> _environment;

    public VerifyCliTests() => _environment = new() { ["COMPOSERBOT_MODELS"] = RepositoryPaths.Models, ["Composer__SigningKey"] = _dir.File("keys/signing-key") };

    public void Dispose() => _dir.Dispose();

    private string Compose(string prompt, int seed)
    {
        var result = CliRunner.Run(_environment, "compose", prompt, "--generator", "ngram", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", _dir.Path);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return Directory.GetFiles(_dir.Path, $"*-s{seed}.mp3").Single();
    }

    [Fact]
    public void A_track_verifies_byte_for_byte_and_a_re_encoded_upload_by_fingerprint_and_an_unrelated_one_does_not()
    {
        var track = Compose("calm piano 15 s", 1);
        var receipt = Path.ChangeExtension(track, ".json");
        var key = CliRunner.Run(_environment, "key");
        Assert.Equal(0, key.ExitCode);
        Assert.Matches("^ed25519:[0-9a-f]{64}$", key.Stdout.Trim());
        Assert.Equal(key.Stdout.Trim(), JsonDocument.Parse(File.ReadAllText(receipt)).RootElement.GetProperty("public_key").GetString());

        var exact = CliRunner.Run(_environment, "verify", track, "--key", key.Stdout.Trim());
        Assert.True(exact.ExitCode == 0, exact.Stdout + exact.Stderr);
        Assert.StartsWith($"verified: {Path.GetFileName(track)} is the audio file of receipt ", exact.Stdout, StringComparison.Ordinal);

        // A platform's re-encode keeps the tags: the receipt is found by the id in them.
        var upload = _dir.File("upload.mp3");
        ExternalTools.Run("ffmpeg", "-hide_banner", "-loglevel", "error", "-i", track, "-b:a", "64k", "-y", upload);
        var copy = CliRunner.Run(_environment, "verify", upload, "--json");
        Assert.True(copy.ExitCode == 0, copy.Stdout + copy.Stderr);
        var json = JsonDocument.Parse(copy.Stdout).RootElement;
        Assert.True(json.GetProperty("verified").GetBoolean());
        Assert.Equal("fingerprint", json.GetProperty("method").GetString());
        Assert.Equal(receipt, json.GetProperty("receipt").GetString());

        var other = Compose("calm piano 15 s", 2);
        var unrelated = CliRunner.Run(_environment, "verify", other, "--receipt", receipt);
        Assert.Equal(1, unrelated.ExitCode);
        Assert.StartsWith("not verified: ", unrelated.Stdout, StringComparison.Ordinal);

        var edited = _dir.File("edited.json");
        File.WriteAllText(edited, File.ReadAllText(receipt).Replace("\"seed\": 1,", "\"seed\": 7,", StringComparison.Ordinal));
        var forged = CliRunner.Run(_environment, "verify", track, "--receipt", edited);
        Assert.Equal(1, forged.ExitCode);
        Assert.Contains("is not validly signed", forged.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_track_whose_melody_the_critic_chose_names_the_sampling_where_the_installation_samples_otherwise()
    {
        // A seed whose melody the critic took from a later candidate: made without the critic, it differs.
        var withoutCritic = new Dictionary<string, string>(_environment) { ["Composer__Candidates"] = "1" };
        var seed = Enumerable.Range(3, 8).First(s =>
        {
            var chosen = CliRunner.Run(_environment, "compose", "calm piano 12 s", "--generator", "model", "--seed", $"{s}", "--out", _dir.File($"critic-{s}"));
            var first = CliRunner.Run(withoutCritic, "compose", "calm piano 12 s", "--generator", "model", "--seed", $"{s}", "--out", _dir.File($"plain-{s}"));
            Assert.True(chosen.ExitCode == 0 && first.ExitCode == 0, chosen.Stderr + first.Stderr);
            return !File.ReadAllBytes(Directory.GetFiles(_dir.File($"critic-{s}"), "*.mid").Single()).SequenceEqual(File.ReadAllBytes(Directory.GetFiles(_dir.File($"plain-{s}"), "*.mid").Single()));
        });
        var track = Directory.GetFiles(_dir.File($"critic-{seed}"), "*.mp3").Single();
        var receipt = Path.ChangeExtension(track, ".json");
        Assert.Matches("^[0-9a-f]{64}$", JsonDocument.Parse(File.ReadAllText(receipt)).RootElement.GetProperty("sampling_sha256").GetString());
        var upload = _dir.File("upload.mp3");
        ExternalTools.Run("ffmpeg", "-hide_banner", "-loglevel", "error", "-i", track, "-b:a", "64k", "-y", upload);

        var same = CliRunner.Run(_environment, "verify", upload, "--receipt", receipt);
        Assert.True(same.ExitCode == 0, same.Stdout + same.Stderr); // made again the same way: the fingerprints agree

        var otherwise = CliRunner.Run(withoutCritic, "verify", upload, "--receipt", receipt);
        Assert.Equal(1, otherwise.ExitCode);
        Assert.Contains("the receipt's melody was chosen with sampling files", otherwise.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing.mp3", null, null, "no such file")]
    [InlineData("lonely.mp3", null, null, "no receipt found for lonely.mp3")]
    [InlineData("lonely.mp3", "notes.txt", null, "notes.txt is not a ComposerBot receipt")]
    [InlineData("lonely.mp3", null, "ed25519:xyz", "'ed25519:xyz' is not a public key")]
    public void Bad_input_is_refused_in_one_line_with_exit_2(string track, string? receipt, string? key, string message)
    {
        File.WriteAllBytes(_dir.File("lonely.mp3"), [1, 2, 3]);
        File.WriteAllText(_dir.File("notes.txt"), "not json");
        List<string> args = ["verify", _dir.File(track)];
        if (receipt is not null)
        {
            args.AddRange(["--receipt", _dir.File(receipt)]);
        }

        if (key is not null)
        {
            args.AddRange(["--key", key]);
        }

        var result = CliRunner.Run(_environment, [.. args]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }
}
