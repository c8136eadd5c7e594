using static TorchSharp.torch;

namespace ComposerBot.Generation.Neural;

/// <summary>
/// Decoding with libtorch: <see cref="MusicTransformer.Decode"/> over a <see cref="KvCache"/>, or
/// <see cref="MusicTransformer.Forward"/> over the whole sequence without one. It reads the model's weights as
/// they are at each call, so it samples a policy that is being trained (RL tuning) as it stands.
/// </summary>
public sealed class TorchDecoder(MusicTransformer model) : ITokenDecoder
{
    public TransformerConfig Config => model.Config;

    public IDecodingSession Open(int rows, bool cached = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        return new Session(model, rows, cached ? model.NewCache(rows) : null);
    }

    private sealed class Session(MusicTransformer model, int rows, KvCache? cache) : IDecodingSession
    {
        private readonly Device _device = model.parameters().First().device;

        public int Length => cache?.Length ?? 0;

        public void Clear() => cache?.Clear();

        public float[] Decode(ReadOnlySpan<long> tokens, int count)
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var input = tensor(tokens.ToArray(), device: _device).view(rows, count);
            var last = cache is null
                ? model.Forward(input).narrow(1, count - 1, 1).squeeze(1)
                : model.Decode(input, cache);
            return last.cpu().data<float>().ToArray();
        }

        public void Dispose() => cache?.Dispose();
    }
}
