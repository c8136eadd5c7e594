namespace ComposerBot.Generation.Neural;

/// <summary>
/// The <see cref="MusicTransformer"/>'s decoding in managed code on the processor: the same weights and the
/// same arithmetic as <see cref="MusicTransformer.Decode"/> (pre-norm blocks, rotary positions on queries and
/// keys, softmax attention over the cached positions, GELU feed-forward, the output tied to the embedding),
/// without libtorch's cost per operation. A sampling step is about a hundred small operations on one token
/// (a [1, 256] row through four blocks); through libtorch each of them costs microseconds of dispatch, tensor
/// objects and handles, as much as the arithmetic, which here streams the weights once per step.
/// Every dot product sums its products in 16 lanes in index order and adds the lanes in a fixed order, with
/// fused multiply-adds (<see cref="DecoderKernels"/>), whatever the processor's vector width and whatever rows
/// are decoded beside it. The logits differ from libtorch's only by rounding (its matrix kernels add in other
/// orders); the tests hold both to each other and to the same sampled melodies.
/// </summary>
public sealed class CpuDecoder : ITokenDecoder
{
    private readonly DecoderWeights _weights;
    private readonly float[] _cos;
    private readonly float[] _sin;

    internal CpuDecoder(TransformerConfig config, DecoderWeights weights)
    {
        config.Validate();
        weights.Check(config);
        Config = config;
        _weights = weights;
        (_cos, _sin) = RotaryTables(config.HeadDim / 2, config.Context);
    }

    public TransformerConfig Config { get; }

    /// <summary>A decoder with a copy of the model's weights as they are now.</summary>
    public static CpuDecoder From(MusicTransformer model) => new(model.Config, model.ExportWeights());

    public IDecodingSession Open(int rows, bool cached = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        return new Session(this, rows, cached);
    }

    /// <summary>
    /// cos and sin of each position's angle for each frequency pair ([context, half]): angle = position ×
    /// 10000^(-i / half), in single precision as <see cref="Rotary"/> computes it.
    /// </summary>
    private static (float[] Cos, float[] Sin) RotaryTables(int half, int context)
    {
        var cos = new float[context * half];
        var sin = new float[context * half];
        for (var i = 0; i < half; i++)
        {
            var frequency = MathF.Pow(10000f, -(float)i / half);
            for (var p = 0; p < context; p++)
            {
                var angle = p * frequency;
                cos[(p * half) + i] = MathF.Cos(angle);
                sin[(p * half) + i] = MathF.Sin(angle);
            }
        }

        return (cos, sin);
    }

    /// <summary>A run's key/value cache and scratch rows; one thread at a time.</summary>
    private sealed class Session : IDecodingSession
    {
        private readonly CpuDecoder _decoder;
        private readonly TransformerConfig _config;
        private readonly int _rows;
        private readonly bool _cached;
        private readonly float[][] _keys;
        private readonly float[][] _values;
        private readonly float[] _scores;
        private readonly float[] _last;
        private float[] _x = [];
        private float[] _normed = [];
        private float[] _qkv = [];
        private float[] _attended = [];
        private float[] _hidden = [];

        public Session(CpuDecoder decoder, int rows, bool cached)
        {
            _decoder = decoder;
            _config = decoder.Config;
            _rows = rows;
            _cached = cached;
            var size = rows * _config.Context * _config.ModelDim;
            _keys = [.. Enumerable.Range(0, _config.Layers).Select(_ => new float[size])];
            _values = [.. Enumerable.Range(0, _config.Layers).Select(_ => new float[size])];
            _scores = new float[_config.Context];
            _last = new float[_config.ModelDim];
        }

        public int Length { get; private set; }

        public void Clear() => Length = 0;

        public float[] Decode(ReadOnlySpan<long> tokens, int count)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
            if (tokens.Length != _rows * count)
            {
                throw new ArgumentException($"{tokens.Length} tokens are not {count} for each of {_rows} rows.", nameof(tokens));
            }

            if (!_cached)
            {
                Length = 0;
            }

            if (Length + count > _config.Context)
            {
                throw new ArgumentException($"the cache holds {Length} of {_config.Context} positions; {count} more do not fit.", nameof(tokens));
            }

            var d = _config.ModelDim;
            var vocabulary = _config.Vocabulary;
            var n = _rows * count;
            Ensure(ref _x, n * d);
            Ensure(ref _normed, n * d);
            Ensure(ref _qkv, n * 3 * d);
            Ensure(ref _attended, n * d);
            Ensure(ref _hidden, n * _config.FeedForwardDim);
            var weights = _decoder._weights;
            for (var r = 0; r < n; r++)
            {
                var id = tokens[r];
                if ((ulong)id >= (ulong)vocabulary)
                {
                    throw new ArgumentOutOfRangeException(nameof(tokens), $"token {id} is outside the vocabulary of {vocabulary}.");
                }

                weights.Embedding.AsSpan((int)id * d, d).CopyTo(_x.AsSpan(r * d, d));
            }

            for (var layer = 0; layer < _config.Layers; layer++)
            {
                Block(weights.Layers[layer], layer, n, count);
            }

            Length = _cached ? Length + count : 0;
            var logits = new float[_rows * vocabulary];
            for (var row = 0; row < _rows; row++)
            {
                DecoderKernels.Norm(_x.AsSpan((((row + 1) * count) - 1) * d, d), weights.FinalNormWeight, weights.FinalNormBias, _last);
                DecoderKernels.Linear(_last, 1, weights.Embedding, null, vocabulary, logits.AsSpan(row * vocabulary, vocabulary));
            }

            return logits;
        }

        /// <summary>x + attention(norm(x)), then x + mlp(norm(x)), for every fed token.</summary>
        private void Block(DecoderLayerWeights w, int layer, int n, int count)
        {
            var d = _config.ModelDim;
            var f = _config.FeedForwardDim;
            for (var r = 0; r < n; r++)
            {
                DecoderKernels.Norm(_x.AsSpan(r * d, d), w.AttentionNormWeight, w.AttentionNormBias, _normed.AsSpan(r * d, d));
            }

            DecoderKernels.Linear(_normed, n, w.Qkv, w.QkvBias, 3 * d, _qkv);
            Remember(layer, n, count);
            for (var r = 0; r < n; r++)
            {
                Attend(layer, r / count, Length + (r % count), _qkv.AsSpan(r * 3 * d, d), _attended.AsSpan(r * d, d));
            }

            DecoderKernels.Linear(_attended, n, w.Projection, w.ProjectionBias, d, _normed);
            DecoderKernels.Add(_x.AsSpan(0, n * d), _normed.AsSpan(0, n * d));
            for (var r = 0; r < n; r++)
            {
                DecoderKernels.Norm(_x.AsSpan(r * d, d), w.FeedForwardNormWeight, w.FeedForwardNormBias, _normed.AsSpan(r * d, d));
            }

            DecoderKernels.Linear(_normed, n, w.Up, w.UpBias, f, _hidden);
            DecoderKernels.Gelu(_hidden.AsSpan(0, n * f));
            DecoderKernels.Linear(_hidden, n, w.Down, w.DownBias, d, _normed);
            DecoderKernels.Add(_x.AsSpan(0, n * d), _normed.AsSpan(0, n * d));
        }

        /// <summary>Rotates each fed token's query and key to its position and writes its key and value to the cache.</summary>
        private void Remember(int layer, int n, int count)
        {
            var d = _config.ModelDim;
            var heads = _config.Heads;
            var headDim = _config.HeadDim;
            var context = _config.Context;
            for (var r = 0; r < n; r++)
            {
                var row = r / count;
                var position = Length + (r % count);
                var qkv = _qkv.AsSpan(r * 3 * d, 3 * d);
                for (var h = 0; h < heads; h++)
                {
                    var slot = ((((row * heads) + h) * context) + position) * headDim;
                    Rotate(qkv.Slice(h * headDim, headDim), position);
                    var key = _keys[layer].AsSpan(slot, headDim);
                    qkv.Slice(d + (h * headDim), headDim).CopyTo(key);
                    Rotate(key, position);
                    qkv.Slice((2 * d) + (h * headDim), headDim).CopyTo(_values[layer].AsSpan(slot, headDim));
                }
            }
        }

        /// <summary>x × [cos, cos] + [x2, x1] × [-sin, sin], as <see cref="Rotary.Apply"/> computes it.</summary>
        private void Rotate(Span<float> x, int position)
        {
            var half = x.Length / 2;
            var cos = _decoder._cos.AsSpan(position * half, half);
            var sin = _decoder._sin.AsSpan(position * half, half);
            for (var i = 0; i < half; i++)
            {
                var (x1, x2) = (x[i], x[i + half]);
                x[i] = (x1 * cos[i]) + (x2 * -sin[i]);
                x[i + half] = (x2 * cos[i]) + (x1 * sin[i]);
            }
        }

        /// <summary>Softmax(q·k / √d) over the row's positions up to this one, times their values, head by head.</summary>
        private void Attend(int layer, int row, int position, ReadOnlySpan<float> query, Span<float> output)
        {
            var heads = _config.Heads;
            var headDim = _config.HeadDim;
            var context = _config.Context;
            var scale = 1f / MathF.Sqrt(headDim);
            var scores = _scores.AsSpan(0, position + 1);
            for (var h = 0; h < heads; h++)
            {
                var first = ((row * heads) + h) * context * headDim;
                var keys = _keys[layer].AsSpan(first, (position + 1) * headDim);
                var values = _values[layer].AsSpan(first, (position + 1) * headDim);
                DecoderKernels.Linear(query.Slice(h * headDim, headDim), 1, keys, null, position + 1, scores);
                var total = DecoderKernels.Softmax(scores, scale);
                var o = output.Slice(h * headDim, headDim);
                DecoderKernels.WeightedSum(values, scores, o);
                DecoderKernels.Scale(o, 1 / total);
            }
        }

        private static void Ensure(ref float[] buffer, int length)
        {
            if (buffer.Length < length)
            {
                buffer = new float[length];
            }
        }

        public void Dispose()
        {
        }
    }
}

/// <summary>One block's weights as nn.Linear and nn.LayerNorm keep them (a linear layer's weight is [outputs, inputs]).</summary>
internal sealed record DecoderLayerWeights(
    float[] AttentionNormWeight,
    float[] AttentionNormBias,
    float[] Qkv,
    float[] QkvBias,
    float[] Projection,
    float[] ProjectionBias,
    float[] FeedForwardNormWeight,
    float[] FeedForwardNormBias,
    float[] Up,
    float[] UpBias,
    float[] Down,
    float[] DownBias);

/// <summary>A <see cref="MusicTransformer"/>'s weights copied out of libtorch: the embedding (also the output layer), the blocks, the final norm.</summary>
internal sealed record DecoderWeights(float[] Embedding, IReadOnlyList<DecoderLayerWeights> Layers, float[] FinalNormWeight, float[] FinalNormBias)
{
    /// <summary>Throws unless every array has the size the configuration gives it.</summary>
    public void Check(TransformerConfig config)
    {
        var (d, f) = (config.ModelDim, config.FeedForwardDim);
        var sizes = new List<(string Name, int Actual, int Expected)>
        {
            ("embedding", Embedding.Length, config.Vocabulary * d),
            ("final norm weight", FinalNormWeight.Length, d),
            ("final norm bias", FinalNormBias.Length, d),
            ("layers", Layers.Count, config.Layers),
        };
        foreach (var (l, i) in Layers.Select((l, i) => (l, i)))
        {
            sizes.AddRange([
                ($"block {i} attention norm", l.AttentionNormWeight.Length + l.AttentionNormBias.Length, 2 * d),
                ($"block {i} qkv", l.Qkv.Length + l.QkvBias.Length, (3 * d * d) + (3 * d)),
                ($"block {i} projection", l.Projection.Length + l.ProjectionBias.Length, (d * d) + d),
                ($"block {i} feed-forward norm", l.FeedForwardNormWeight.Length + l.FeedForwardNormBias.Length, 2 * d),
                ($"block {i} up", l.Up.Length + l.UpBias.Length, (f * d) + f),
                ($"block {i} down", l.Down.Length + l.DownBias.Length, (d * f) + d),
            ]);
        }

        if (sizes.FirstOrDefault(s => s.Actual != s.Expected) is { Name: not null } wrong)
        {
            throw new ArgumentException($"the {wrong.Name} holds {wrong.Actual} numbers where the configuration gives {wrong.Expected}.");
        }
    }
}
