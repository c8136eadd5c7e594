using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ComposerBot.Generation.Neural;

/// <summary>
/// A decoder-only Transformer over lead-sheet tokens: pre-norm blocks, rotary positions, a causal mask,
/// GELU feed-forward, and an output layer tied to the token embedding. <see cref="Forward"/> scores whole
/// sequences (training, evaluation); <see cref="Decode"/> extends a <see cref="KvCache"/> by a few tokens and
/// returns the next-token logits, so sampling costs one position per step, not the whole prefix.
/// </summary>
public sealed class MusicTransformer : nn.Module
{
    private readonly Embedding embedding;
    private readonly ModuleList<DecoderBlock> blocks;
    private readonly LayerNorm finalNorm;
    private readonly Rotary _rotary;

    public MusicTransformer(TransformerConfig config)
        : base(nameof(MusicTransformer))
    {
        config.Validate();
        Config = config;
        embedding = nn.Embedding(config.Vocabulary, config.ModelDim);
        blocks = nn.ModuleList([.. Enumerable.Range(0, config.Layers).Select(i => new DecoderBlock($"block{i}", config))]);
        finalNorm = nn.LayerNorm(config.ModelDim);
        RegisterComponents();
        using (no_grad())
        {
            nn.init.normal_(embedding.weight, 0, 0.02);
        }

        _rotary = new Rotary(config.HeadDim, config.Context);
    }

    public TransformerConfig Config { get; }

    /// <summary>Logits for every position: tokens [batch, time] give [batch, time, vocabulary].</summary>
    public Tensor Forward(Tensor tokens)
    {
        if (tokens.shape[1] > Config.Context)
        {
            throw new ArgumentException($"{tokens.shape[1]} tokens are more than the model's context of {Config.Context}.", nameof(tokens));
        }

        var x = embedding.forward(tokens);
        foreach (var block in blocks)
        {
            x = block.Forward(x, _rotary, null);
        }

        return nn.functional.linear(finalNorm.forward(x), embedding.weight!);
    }

    /// <summary>
    /// Appends tokens [batch, time] to the cache (a prefix, one sampled token, or a run of tokens the
    /// grammar forces) and returns the logits of the last one, [batch, vocabulary].
    /// </summary>
    public Tensor Decode(Tensor tokens, KvCache cache)
    {
        var count = (int)tokens.shape[1];
        if (cache.Length + count > Config.Context)
        {
            throw new ArgumentException($"the cache holds {cache.Length} of {Config.Context} positions; {count} more do not fit.", nameof(tokens));
        }

        var x = embedding.forward(tokens);
        for (var i = 0; i < blocks.Count; i++)
        {
            x = blocks[i].Forward(x, _rotary, (cache, i));
        }

        cache.Advance(count);
        var last = x.narrow(1, count - 1, 1).squeeze(1);
        return nn.functional.linear(finalNorm.forward(last), embedding.weight!);
    }

    /// <summary>An empty cache for <paramref name="batch"/> sequences on the model's device.</summary>
    public KvCache NewCache(int batch) => new(Config, batch, embedding.weight!.device);

    /// <summary>Whether the weights are in the processor's memory (not on a GPU).</summary>
    public bool IsOnCpu => embedding.weight!.device.type == DeviceType.CPU;

    /// <summary>A copy of every weight as it is now, for <see cref="CpuDecoder"/>.</summary>
    internal DecoderWeights ExportWeights()
    {
        using var noGrad = no_grad();
        return new DecoderWeights(
            Copy(embedding.weight!),
            [.. blocks.Select(b => b.ExportWeights())],
            Copy(finalNorm.weight!),
            Copy(finalNorm.bias!));
    }

    private static float[] Copy(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.detach().cpu().to(ScalarType.Float32).contiguous().data<float>().ToArray();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _rotary.Dispose();
        }

        base.Dispose(disposing);
    }

    protected override nn.Module _to(Device device, ScalarType dtype, bool non_blocking)
    {
        _rotary.To(device);
        return base._to(device, dtype, non_blocking);
    }

    protected override nn.Module _to(DeviceType deviceType, int deviceIndex, bool non_blocking)
    {
        _rotary.To(new Device(deviceType, deviceIndex));
        return base._to(deviceType, deviceIndex, non_blocking);
    }

    /// <summary>One pre-norm block: x + attention(norm(x)), then x + mlp(norm(x)).</summary>
    private sealed class DecoderBlock : nn.Module
    {
        private readonly LayerNorm attentionNorm;
        private readonly Linear qkv;
        private readonly Linear projection;
        private readonly LayerNorm feedForwardNorm;
        private readonly Linear up;
        private readonly Linear down;
        private readonly int _heads;
        private readonly int _headDim;
        private readonly double _dropout;

        public DecoderBlock(string name, TransformerConfig config)
            : base(name)
        {
            attentionNorm = nn.LayerNorm(config.ModelDim);
            qkv = nn.Linear(config.ModelDim, 3 * config.ModelDim);
            projection = nn.Linear(config.ModelDim, config.ModelDim);
            feedForwardNorm = nn.LayerNorm(config.ModelDim);
            up = nn.Linear(config.ModelDim, config.FeedForwardDim);
            down = nn.Linear(config.FeedForwardDim, config.ModelDim);
            _heads = config.Heads;
            _headDim = config.HeadDim;
            _dropout = config.Dropout;
            RegisterComponents();
        }

        public DecoderLayerWeights ExportWeights() => new(
            Copy(attentionNorm.weight!),
            Copy(attentionNorm.bias!),
            Copy(qkv.weight!),
            Copy(qkv.bias!),
            Copy(projection.weight!),
            Copy(projection.bias!),
            Copy(feedForwardNorm.weight!),
            Copy(feedForwardNorm.bias!),
            Copy(up.weight!),
            Copy(up.bias!),
            Copy(down.weight!),
            Copy(down.bias!));

        private Tensor Dropout(Tensor x) => training && _dropout > 0 ? nn.functional.dropout(x, _dropout, true) : x;

        public Tensor Forward(Tensor x, Rotary rotary, (KvCache Cache, int Layer)? cache)
        {
            var batch = x.shape[0];
            var time = x.shape[1];
            var offset = cache?.Cache.Length ?? 0;
            var parts = qkv.forward(attentionNorm.forward(x)).view(batch, time, 3, _heads, _headDim).permute(2, 0, 3, 1, 4);

            // Queries and keys are rotated together: one set of operations for both (each op costs microseconds).
            var rotated = rotary.Apply(parts.narrow(0, 0, 2), offset);
            var q = rotated[0];
            var k = rotated[1];
            var v = parts[2];
            if (cache is var (c, layer))
            {
                (k, v) = c.Append(layer, k, v);
            }

            // A single new token attends to everything cached; several (training, a prefix) attend causally;
            // several after cached ones attend to all of those and causally among themselves.
            using var mask = time > 1 && offset > 0 ? ones(time, offset + time, dtype: ScalarType.Bool, device: x.device).tril(offset) : null;
            var attended = mask is null
                ? nn.functional.scaled_dot_product_attention(q, k, v, is_casual: time > 1)
                : nn.functional.scaled_dot_product_attention(q, k, v, attn_mask: mask);
            var merged = attended.transpose(1, 2).reshape(batch, time, _heads * _headDim);
            x = x.Plus(Dropout(projection.forward(merged)));
            var hidden = nn.functional.gelu(up.forward(feedForwardNorm.forward(x)));
            return x.Plus(Dropout(down.forward(hidden)));
        }
    }
}
