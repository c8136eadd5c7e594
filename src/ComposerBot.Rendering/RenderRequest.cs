namespace ComposerBot.Rendering;

/// <summary>What to make of a score: the audio file, and optionally its piano roll, loop and stems.</summary>
public sealed record RenderRequest(string OutputPath)
{
    public long? MaxBytes { get; init; }

    public bool Normalize { get; init; } = true;

    public string? PianoRollPath { get; init; }

    public string Title { get; init; } = "ComposerBot";

    /// <summary>Tags written into the audio file (title, receipt id); loop points are added for loops.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// For a seamless loop: the loop body's length in ticks. The score is played three times and the middle
    /// pass kept, so the release of the end wraps into the start and the loudness stage sees no edges.
    /// </summary>
    public long? LoopLengthTicks { get; init; }

    /// <summary>For a stinger: the exact length of the file in seconds (cut, or padded, with a short fade).</summary>
    public double? ExactSeconds { get; init; }

    /// <summary>The style's mix bus (equaliser and compressor) between the synthesizer and the loudness stage; none when null.</summary>
    public Mixing.BusSettings? Bus { get; init; }

    /// <summary>Stems to write, by track name (the stem group) to a lossless file path; they sum to the mix.</summary>
    public IReadOnlyDictionary<string, string> StemPaths { get; init; } = new Dictionary<string, string>();
}
