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
    IReadOnlyDictionary<RenderPhase, TimeSpan> Timings);
