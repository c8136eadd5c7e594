namespace ComposerBot.Generation.Neural.Training;

/// <summary>How to train. Everything that changes the result is part of <see cref="Fingerprint"/>: a
/// checkpoint only resumes a run with the same fingerprint.</summary>
public sealed record TrainingOptions(TransformerConfig Model, string CheckpointDirectory)
{
    public int Seed { get; init; } = 1;

    public int Epochs { get; init; } = 8;

    /// <summary>Padded tokens per optimiser step.</summary>
    public int TokensPerBatch { get; init; } = 8192;

    public double LearningRate { get; init; } = 6e-4;

    /// <summary>The cosine schedule ends at this fraction of the peak rate.</summary>
    public double FinalLearningRateFraction { get; init; } = 0.1;

    public int WarmupSteps { get; init; } = 100;

    public double ClipNorm { get; init; } = 1.0;

    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Each epoch transposes each piece by a random shift in [-N, N+1] semitones (0: no augmentation).</summary>
    public int MaxTransposition { get; init; } = 5;

    /// <summary>Write a checkpoint after this many steps (and at every epoch's end, and when cancelled).</summary>
    public int CheckpointEverySteps { get; init; } = 50;

    /// <summary>auto, cpu, cuda or cuda:N.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>libtorch intra-op threads; 0 keeps its default.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Pieces of these feels appear this many times in every epoch, each time with its own transposition
    /// (every other piece once): more weight for a kind of tune the train split has few of (chorale = 3).
    /// </summary>
    public IReadOnlyDictionary<string, int> FeelRepeats { get; init; } = new Dictionary<string, int>();

    /// <summary>How often a piece of this feel appears in an epoch.</summary>
    public int RepeatsOf(string feel) => FeelRepeats.GetValueOrDefault(feel, 1);

    /// <summary>The repeats as text (feel=N, by feel), or null when there are none.</summary>
    public string? RepeatsText => FeelRepeats.Count == 0 ? null : string.Join(',', FeelRepeats.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}={r.Value}"));

    public string Fingerprint(string dataFingerprint) => Core(dataFingerprint) + (RepeatsText is { } repeats ? $"|repeats:{repeats}" : "");

    private string Core(string dataFingerprint) => string.Join(
        '|',
        Model,
        Seed,
        Epochs,
        TokensPerBatch,
        LearningRate.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        FinalLearningRateFraction.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        WarmupSteps,
        ClipNorm.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        WeightDecay.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        MaxTransposition,
        dataFingerprint);

    public void Validate()
    {
        Model.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(Epochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(TokensPerBatch, Model.Context);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(LearningRate);
        ArgumentOutOfRangeException.ThrowIfNegative(WarmupSteps);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxTransposition);
        ArgumentOutOfRangeException.ThrowIfLessThan(CheckpointEverySteps, 1);
        foreach (var (feel, repeats) in FeelRepeats)
        {
            if (repeats is < 1 or > MaxRepeats)
            {
                throw new ArgumentOutOfRangeException(nameof(FeelRepeats), repeats, $"a feel repeats 1 to {MaxRepeats} times an epoch, not {repeats} ({feel}).");
            }
        }
    }

    /// <summary>The most times a piece may appear in one epoch.</summary>
    public const int MaxRepeats = 16;
}
