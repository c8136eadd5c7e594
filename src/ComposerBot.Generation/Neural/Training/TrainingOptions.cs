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

    public string Fingerprint(string dataFingerprint) => string.Join(
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
    }
}
