using System.Security.Cryptography;
using ComposerBot.Generation.Neural;
using ComposerBot.Generation.NGram;
using ComposerBot.Music.Metrics;

namespace ComposerBot.Studio;

/// <summary>
/// The trained files the product ships in models/: the lead-sheet model and the originality index of the
/// training melodies. Loaded once; their SHA-256 goes into every receipt.
/// </summary>
public sealed class ModelStore
{
    public const string NGramFile = "ngram-baseline.bin.gz";
    public const string IndexFile = "originality-index.bin.gz";
    public const string ClustersFile = Music.Clustering.TuneClusters.FileName;
    public const string FormsFile = Music.Forms.FormLibrary.FileName;

    private readonly Lazy<(NGramModel Model, string Sha256)> _ngram;
    private readonly Lazy<OriginalityIndex> _index;
    private readonly Lazy<Music.Clustering.TuneClusters> _clusters;
    private readonly Lazy<(Music.Forms.FormLibrary Model, string Sha256)> _forms;
    private readonly Lock _neuralLock = new();
    private (MusicTransformer Model, ModelManifest Manifest)? _neural;

    public ModelStore(string directory)
    {
        Directory = directory;
        _ngram = new(() => Load(NGramFile, NGramModel.Load));
        _index = new(() => Load(IndexFile, OriginalityIndex.Load).Model);
        _clusters = new(() => Load(ClustersFile, Music.Clustering.TuneClusters.Load).Model);
        _forms = new(() => Load(FormsFile, Music.Forms.FormLibrary.Load));
    }

    public string Directory { get; }

    public NGramModel NGram => _ngram.Value.Model;

    public string NGramSha256 => _ngram.Value.Sha256;

    public OriginalityIndex Index => _index.Value;

    /// <summary>Whether models/ holds the tune clusters.</summary>
    public bool HasClusters => File.Exists(Path.Combine(Directory, ClustersFile));

    /// <summary>The named tune clusters (the feels), from clusters.json.</summary>
    public Music.Clustering.TuneClusters Clusters => _clusters.Value;

    /// <summary>Whether models/ holds the training tunes' forms (a models folder of an older build may not).</summary>
    public bool HasForms => File.Exists(Path.Combine(Directory, FormsFile));

    /// <summary>The training tunes' forms, which the neural composer's melodies follow.</summary>
    public Music.Forms.FormLibrary Forms => _forms.Value.Model;

    /// <summary>The forms file's SHA-256, for receipts.</summary>
    public string FormsSha256 => _forms.Value.Sha256;

    /// <summary>The form library where the models folder has one, else null (the composer then writes without forms).</summary>
    public Music.Forms.FormLibrary? FormsIfAny => HasForms ? Forms : null;

    /// <summary>The RL-tuned composer's name: preferred over the prior when models/ ships it.</summary>
    public const string TunedName = "composer-tuned";

    /// <summary>Whether models/ holds the neural composer (tuned or not).</summary>
    public bool HasNeural => File.Exists(NeuralManifest);

    /// <summary>The manifest compose loads: the tuned model's when shipped, else the prior's.</summary>
    public string NeuralManifest => File.Exists(ModelFiles.ManifestPath(Directory, TunedName)) ? ModelFiles.ManifestPath(Directory, TunedName) : ModelFiles.ManifestPath(Directory);

    /// <summary>The neural composer, loaded on first use onto the device (and kept for the process's life).</summary>
    public (MusicTransformer Model, ModelManifest Manifest) Neural(TorchSharp.torch.Device device)
    {
        lock (_neuralLock)
        {
            if (_neural is null && !HasNeural)
            {
                throw new ModelException($"the neural model is missing: {NeuralManifest} (train it with './composerbot train', or use the n-gram generator).");
            }

            try
            {
                return _neural ??= ModelFiles.Load(NeuralManifest, device);
            }
            catch (ModelLoadException ex)
            {
                throw new ModelException(ex.Message, ex);
            }
        }
    }

    /// <summary>
    /// The sampling calibration fitted for these weights (models/sampling-calibration.json), or null where the
    /// folder has none or its calibration was fitted for other weights (the model then samples as it is).
    /// </summary>
    public SamplingCalibration? CalibrationFor(string weightsSha256)
    {
        try
        {
            return SamplingCalibration.LoadFor(Path.Combine(Directory, SamplingCalibration.FileName), weightsSha256);
        }
        catch (ModelLoadException ex)
        {
            throw new ModelException(ex.Message, ex);
        }
    }

    /// <summary>
    /// The melody critic fitted for these weights (models/melody-critic.json), or null where the folder has none
    /// or its critic was fitted for other weights (the model then writes one melody per request).
    /// </summary>
    public MelodyCritic? CriticFor(string weightsSha256)
    {
        try
        {
            return MelodyCritic.LoadFor(Path.Combine(Directory, MelodyCritic.FileName), weightsSha256);
        }
        catch (ModelLoadException ex)
        {
            throw new ModelException(ex.Message, ex);
        }
    }

    /// <summary>$COMPOSERBOT_MODELS, else models/ under $COMPOSERBOT_HOME (the repository), else the copy beside the binary.</summary>
    public static string DefaultDirectory(string? home) =>
        Environment.GetEnvironmentVariable("COMPOSERBOT_MODELS") is { Length: > 0 } models
            ? models
            : Path.Combine(home ?? AppContext.BaseDirectory, "models");

    private (T Model, string Sha256) Load<T>(string file, Func<Stream, T> read)
    {
        var path = Path.Combine(Directory, file);
        if (!File.Exists(path))
        {
            throw new ModelException($"model file missing: {path} (rebuild it with './composerbot build-models --corpus PATH').");
        }

        var bytes = File.ReadAllBytes(path);
        try
        {
            using var stream = new MemoryStream(bytes);
            return (read(stream), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
        catch (Exception ex) when (ex is InvalidDataException or System.Text.Json.JsonException)
        {
            throw new ModelException($"model file {path} is damaged or from another version ({ex.Message.Split('\n')[0].TrimEnd('.')}).", ex);
        }
    }
}
