using static TorchSharp.torch;

namespace ComposerBot.Generation.Neural;

/// <summary>
/// Keys and values of every layer for the positions decoded so far, preallocated to the model's context:
/// [batch, heads, context, head_dim] per layer. Owned by one sampling run; dispose it when done.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor[] _keys;
    private readonly Tensor[] _values;

    internal KvCache(TransformerConfig config, int batch, Device device)
    {
        _keys = new Tensor[config.Layers];
        _values = new Tensor[config.Layers];
        for (var i = 0; i < config.Layers; i++)
        {
            _keys[i] = zeros([batch, config.Heads, config.Context, config.HeadDim], device: device).DetachFromDisposeScope();
            _values[i] = zeros([batch, config.Heads, config.Context, config.HeadDim], device: device).DetachFromDisposeScope();
        }
    }

    /// <summary>Positions held.</summary>
    public int Length { get; private set; }

    /// <summary>Forgets every position (the buffers are kept for reuse).</summary>
    public void Clear() => Length = 0;

    /// <summary>Writes the new keys and values after the held ones; returns all of them.</summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        var count = keys.shape[2];
        _keys[layer].narrow(2, Length, count).copy_(keys);
        _values[layer].narrow(2, Length, count).copy_(values);
        return (_keys[layer].narrow(2, 0, Length + count), _values[layer].narrow(2, 0, Length + count));
    }

    internal void Advance(int count) => Length += count;

    public void Dispose()
    {
        foreach (var t in _keys.Concat(_values))
        {
            t.Dispose();
        }
    }
}
