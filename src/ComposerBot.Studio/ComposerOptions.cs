namespace ComposerBot.Studio;

/// <summary>Which lead-sheet generator composes, and where the neural one runs (configuration "Composer").</summary>
public sealed class ComposerOptions
{
    public const string Section = "Composer";

    /// <summary>auto (the neural model when models/ has one, else the n-gram), model, or ngram.</summary>
    public string Generator { get; set; } = "auto";

    /// <summary>auto (CUDA when present), cpu, cuda or cuda:N.</summary>
    public string Device { get; set; } = "auto";

    /// <summary>The originality guard: the longest run of intervals a melody may share with a training melody.</summary>
    public int OriginalityThreshold { get; set; } = 10;

    /// <summary>How many melodies the guard writes (with derived seeds) before keeping the least-copying one.</summary>
    public int OriginalityAttempts { get; set; } = 5;
}
