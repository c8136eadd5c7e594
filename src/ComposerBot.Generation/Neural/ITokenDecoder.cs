namespace ComposerBot.Generation.Neural;

/// <summary>
/// Runs a <see cref="MusicTransformer"/>'s weights forward for sampling: <see cref="TorchDecoder"/> with
/// libtorch on the model's device, <see cref="CpuDecoder"/> in managed code on the processor.
/// <see cref="For"/> picks the one compose samples with.
/// </summary>
public interface ITokenDecoder
{
    /// <summary>The shape of the weights it runs.</summary>
    TransformerConfig Config { get; }

    /// <summary>
    /// A sampling run of <paramref name="rows"/> sequences: with <paramref name="cached"/>, keys and values are
    /// kept between calls (a KV cache) so each call feeds only the new tokens; without, every call is a whole
    /// sequence from its first token (the baseline the cache is measured against).
    /// </summary>
    IDecodingSession Open(int rows, bool cached = true);

    /// <summary>
    /// The decoder compose samples with for this model: managed code where the model is on the processor (the
    /// weights are copied out of it, so later changes to them are not seen), libtorch where it is on a GPU.
    /// </summary>
    public static ITokenDecoder For(MusicTransformer model) =>
        model.IsOnCpu ? CpuDecoder.From(model) : new TorchDecoder(model);
}

/// <summary>One sampling run's state: the tokens fed so far (the cache) and what feeding more gives.</summary>
public interface IDecodingSession : IDisposable
{
    /// <summary>Positions held in the cache (0 without one).</summary>
    int Length { get; }

    /// <summary>Forgets every position.</summary>
    void Clear();

    /// <summary>
    /// Feeds <paramref name="count"/> tokens to each row (<paramref name="tokens"/> row by row: row r's are
    /// tokens[r * count .. (r + 1) * count]) and returns each row's logits for the token after its last one,
    /// row by row ([rows * vocabulary]).
    /// </summary>
    float[] Decode(ReadOnlySpan<long> tokens, int count);
}
