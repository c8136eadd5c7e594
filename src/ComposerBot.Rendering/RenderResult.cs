using ComposerBot.Rendering.Encoding;
using ComposerBot.Rendering.Loudness;

namespace ComposerBot.Rendering;

/// <summary>What a render produced, with its measured loudness and the time each phase took.</summary>
public sealed record RenderResult(
    string OutputPath,
    EncodeResult Encoded,
    double DurationSeconds,
    LoudnessReport Loudness,
    bool Normalized,
    string? PianoRollPath,
    IReadOnlyDictionary<RenderPhase, TimeSpan> Timings)
{
    /// <summary>Loop start and length in samples at the output rate (0 and the whole file for a loop).</summary>
    public (long Start, long Length)? LoopSamples { get; init; }

    public IReadOnlyDictionary<string, string> Stems { get; init; } = new Dictionary<string, string>();
}
