namespace ComposerBot.Evaluation;

/// <summary>What <c>evaluate</c> was asked to do.</summary>
public sealed record EvaluationRequest(GeneratorKind Generator, int Count, string OutputDirectory, string CorpusPath, string CacheDirectory)
{
    public int Seed { get; init; } = 1;

    /// <summary>The neural model's manifest (NAME.json), for <see cref="GeneratorKind.Model"/>.</summary>
    public string? ModelPath { get; init; }

    /// <summary>Where the neural model runs: auto, cpu, cuda or cuda:N.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>Whether the model's melodies follow forms of the training tunes (as compose does); off to measure the model alone.</summary>
    public bool UseForms { get; init; } = true;

    /// <summary>The model's nucleus (top-p) sampling mass; compose's default unless measuring another.</summary>
    public double TopP { get; init; } = new Generation.Neural.SamplingOptions().TopP;

    /// <summary>The model's sampling temperature; compose's default (1: the model as trained) unless measuring another.</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>The penalty on recently sounded pitch classes; compose's default unless measuring another.</summary>
    public double RecurrencePenalty { get; init; } = new Generation.Neural.SamplingOptions().RecurrencePenalty;

    /// <summary>The nucleus of the tokens other than pitches; compose's default unless measuring another.</summary>
    public double OtherTopP { get; init; } = new Generation.Neural.SamplingOptions().OtherTopP;

    /// <summary>Whether melodies settle on the tonic from the middle of their last bar (off in compose).</summary>
    public bool SettledEnding { get; init; }

    /// <summary>Whether the model's own pitches never leap the same way as an open leap; compose's default unless measuring another.</summary>
    public bool ResolveLeaps { get; init; } = new Generation.Neural.SamplingOptions().ResolveLeaps;

    /// <summary>The step-size and note-length offsets fitted for the model (compose's, models/sampling-calibration.json), or none.</summary>
    public Generation.Neural.SamplingCalibration? Calibration { get; init; }

    /// <summary>The critic that keeps the most human of <see cref="Candidates"/> melodies (compose's, models/melody-critic.json), or none.</summary>
    public Generation.Neural.MelodyCritic? Critic { get; init; }

    /// <summary>Melodies sampled per piece where a critic chooses; compose's default unless measuring another.</summary>
    public int Candidates { get; init; } = new Generation.Neural.SamplingOptions().Candidates;

    /// <summary>The largest share of the model's melody notes that may leave the key (where the model puts them).</summary>
    public double ChromaticShare { get; init; } = new Generation.Neural.SamplingOptions().ChromaticShare;
}
