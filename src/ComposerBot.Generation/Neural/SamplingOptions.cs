namespace ComposerBot.Generation.Neural;

/// <summary>How tokens are drawn: nucleus (top-p) sampling at the spec's temperature; the KV cache on or off.</summary>
public sealed record SamplingOptions
{
    /// <summary>Sample from the smallest set of allowed tokens whose probability reaches this.</summary>
    public double TopP { get; init; } = 0.95;

    /// <summary>Off only to measure what the cache saves: then every step re-runs the whole prefix.</summary>
    public bool UseKvCache { get; init; } = true;

    /// <summary>The largest share of melody notes that may leave the key, each a step from the note before (0: every note in key).</summary>
    public double ChromaticShare { get; init; }

    public int LowestPitch { get; init; } = 48;

    public int HighestPitch { get; init; } = 88;
}
