using ComposerBot.Generation.Neural;

namespace ComposerBot.Studio;

/// <summary>Which lead-sheet generator composes, and where the neural one runs (configuration "Composer").</summary>
public sealed class ComposerOptions
{
    public const string Section = "Composer";

    /// <summary>auto (the neural model when models/ has one, else the n-gram), model, or ngram.</summary>
    public string Generator { get; set; } = "auto";

    /// <summary>auto (CUDA when present), cpu, cuda or cuda:N.</summary>
    public string Device { get; set; } = "auto";

    /// <summary>
    /// libtorch's threads (0: its default, one per core). On the processor the neural composer samples with its
    /// own managed decoder (<see cref="CpuDecoder"/>), one thread per melody, so this applies where libtorch
    /// samples (a GPU). One by default: a melody is sampled a token at a time from a small model, which a second
    /// thread did not speed up (0.29 s with one, 0.27 s with two, a cold 60-second piano track), while a second
    /// thread fighting the synthesizer's sample loading (or a second worker) for the other core made sampling 3x
    /// slower (benchmarks/RESULTS.md, verify by regeneration).
    /// </summary>
    public int Threads { get; set; } = 1;

    /// <summary>The originality guard: the longest run of intervals a melody may share with a training melody.</summary>
    public int OriginalityThreshold { get; set; } = 10;

    /// <summary>How many melodies the guard writes (with derived seeds) before keeping the least-copying one.</summary>
    public int OriginalityAttempts { get; set; } = 5;

    /// <summary>
    /// The most melodies the neural composer samples per request where the models folder has a critic fitted
    /// for its weights (models/melody-critic.json): another while the critic accepts none so far, the most
    /// human kept (1: the first, as without a critic).
    /// </summary>
    public int Candidates { get; set; } = new SamplingOptions().Candidates;

    /// <summary>
    /// How many of those candidates are sampled at once, on their own threads (the same melodies either way):
    /// 0, the default, picks two on a machine with two cores or more (a request then often waits for one
    /// round where it waited for two), and one in a queue worker with as many workers as cores, which keep
    /// every core busy (the candidates thrown away would only take their processor time).
    /// </summary>
    public int ConcurrentCandidates { get; set; }

    /// <summary><see cref="ConcurrentCandidates"/> with 0 resolved for this machine.</summary>
    public int ResolvedConcurrentCandidates => ConcurrentCandidates > 0 ? ConcurrentCandidates : Math.Min(2, Environment.ProcessorCount);
}
