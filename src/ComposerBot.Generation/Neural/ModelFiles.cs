using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using ComposerBot.Music.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace ComposerBot.Generation.Neural;

/// <summary>What the training run measured, saved with the model for the model card and receipts.</summary>
public sealed record TrainingSummary(
    [property: JsonPropertyName("seed")] int Seed,
    [property: JsonPropertyName("epochs")] int Epochs,
    [property: JsonPropertyName("steps")] int Steps,
    [property: JsonPropertyName("train_pieces")] int TrainPieces,
    [property: JsonPropertyName("train_tokens_seen")] long TrainTokensSeen,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("hardware")] string Hardware,
    [property: JsonPropertyName("valid_nll_per_token")] double ValidNllPerToken,
    [property: JsonPropertyName("valid_nll_per_note")] double ValidNllPerNote,
    [property: JsonPropertyName("corpus_fingerprint")] string CorpusFingerprint)
{
    /// <summary>The feels whose pieces appeared more than once an epoch, and how often (none: every piece once).</summary>
    [JsonPropertyName("feel_repeats")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, int>? FeelRepeats { get; init; }
}

/// <summary>The JSON beside the weights: format, shape, the weights' SHA-256 and the training summary.</summary>
public sealed record ModelManifest(
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("config")] TransformerConfig Config,
    [property: JsonPropertyName("weights_file")] string WeightsFile,
    [property: JsonPropertyName("weights_sha256")] string WeightsSha256,
    [property: JsonPropertyName("training")] TrainingSummary? Training)
{
    /// <summary>For a model fine-tuned from a prior (<c>tune</c>): what the tuning did and measured; the prior's own training is in the prior's manifest.</summary>
    [JsonPropertyName("tuning")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TuningSummary? Tuning { get; init; }
}

/// <summary>
/// What an RL fine-tuning measured for exactly these weights: the prior they were tuned from, the steps and
/// seconds of every run in a chain of <c>--from</c> runs (summed), and the tuned model's own validation NLL
/// (null when the corpus was not at hand). <see cref="Note"/> says what was not measured by the code.
/// </summary>
public sealed record TuningSummary(
    [property: JsonPropertyName("prior_sha256")] string PriorSha256,
    [property: JsonPropertyName("runs")] int Runs,
    [property: JsonPropertyName("steps")] int Steps,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("hardware")] string Hardware,
    [property: JsonPropertyName("valid_nll_per_token")] double? ValidNllPerToken,
    [property: JsonPropertyName("valid_nll_per_note")] double? ValidNllPerNote)
{
    [JsonPropertyName("note")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Note { get; init; }
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(ModelManifest))]
internal sealed partial class NeuralJsonContext : JsonSerializerContext;

/// <summary>
/// A trained Transformer on disk: NAME.json (the manifest) and NAME.weights (TorchSharp's state format).
/// Loading checks the weights against the manifest's hash, so a receipt's model id names exact bytes.
/// </summary>
public static class ModelFiles
{
    public const string Format = "composerbot-transformer/1";
    public const string DefaultName = "composer-transformer";

    public static string ManifestPath(string directory, string name = DefaultName) => Path.Combine(directory, name + ".json");

    /// <summary>Writes both files atomically and returns the manifest.</summary>
    public static ModelManifest Save(MusicTransformer model, string directory, TrainingSummary? training, string name = DefaultName, TuningSummary? tuning = null)
    {
        Directory.CreateDirectory(directory);
        var weightsFile = name + ".weights";
        var weightsPath = Path.Combine(directory, weightsFile);
        AtomicFile.Write(weightsPath, stream => model.save(stream));
        var manifest = new ModelManifest(Format, model.Config, weightsFile, Sha256(weightsPath), training) { Tuning = tuning };
        AtomicFile.Write(ManifestPath(directory, name), stream => JsonSerializer.Serialize(stream, manifest, NeuralJsonContext.Default.ModelManifest));
        return manifest;
    }

    public static bool Exists(string directory, string name = DefaultName) => File.Exists(ManifestPath(directory, name));

    public static ModelManifest ReadManifest(string manifestPath)
    {
        if (!File.Exists(manifestPath))
        {
            throw new ModelLoadException($"model file missing: {manifestPath} (train one with './composerbot train').");
        }

        try
        {
            using var stream = File.OpenRead(manifestPath);
            var manifest = JsonSerializer.Deserialize(stream, NeuralJsonContext.Default.ModelManifest) ?? throw new JsonException("empty manifest");
            return manifest.Format == Format ? manifest : throw new ModelLoadException($"{manifestPath} is a '{manifest.Format}' model; this build reads '{Format}'.");
        }
        catch (JsonException ex)
        {
            throw new ModelLoadException($"{manifestPath} is not a model manifest ({ex.Message.Split('\n')[0]}).", ex);
        }
    }

    /// <summary>Loads a model for inference (evaluation mode) on the device, verifying the weights' hash.</summary>
    public static (MusicTransformer Model, ModelManifest Manifest) Load(string manifestPath, Device device)
    {
        TorchRuntime.EnsureLoaded();
        var manifest = ReadManifest(manifestPath);
        var weightsPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(manifestPath))!, manifest.WeightsFile);
        if (!File.Exists(weightsPath))
        {
            throw new ModelLoadException($"model weights missing: {weightsPath}.");
        }

        if (Sha256(weightsPath) != manifest.WeightsSha256)
        {
            throw new ModelLoadException($"{weightsPath} does not match the SHA-256 in {manifestPath}: the file is damaged or from another model.");
        }

        var model = new MusicTransformer(manifest.Config);
        try
        {
            model.load(weightsPath);
        }
        catch (ArgumentException ex)
        {
            model.Dispose();
            throw new ModelLoadException($"{weightsPath} does not fit the shape in {manifestPath} ({ex.Message.Split('\n')[0]}).", ex);
        }

        model.to(device);
        model.eval();
        return (model, manifest);
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
