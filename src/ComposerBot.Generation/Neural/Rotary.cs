using static TorchSharp.torch;

namespace ComposerBot.Generation.Neural;

/// <summary>
/// Rotary position embedding: rotates each (i, i + d/2) pair of query and key features by an angle that
/// grows with the position, so attention scores depend on relative distance. Tables are computed once, as
/// [cos, cos] and [-sin, sin] over the whole head, so a rotation is x * C + swap(x) * S (swap exchanging the
/// halves): eight torch calls instead of eleven per layer and token (sampling is bound by their count), and
/// the same floats as x1 cos - x2 sin, x1 sin + x2 cos (IEEE subtraction is addition of the negation, and
/// addition commutes).
/// </summary>
internal sealed class Rotary : IDisposable
{
    private readonly int _half;
    private Tensor _cos;
    private Tensor _sin;

    public Rotary(int headDim, int context)
    {
        _half = headDim / 2;
        using var scope = NewDisposeScope();
        var frequencies = pow(tensor(10000.0), (-arange(0, _half, dtype: ScalarType.Float32)).Over(_half));
        var angles = outer(arange(0, context, dtype: ScalarType.Float32), frequencies);
        var (cos, sin) = (angles.cos(), angles.sin());
        _cos = cat([cos, cos], -1).MoveToOuterDisposeScope();
        _sin = cat([-sin, sin], -1).MoveToOuterDisposeScope();
    }

    /// <summary>x is [..., time, head_dim] at positions offset..offset+time-1.</summary>
    public Tensor Apply(Tensor x, long offset)
    {
        var time = x.shape[^2];
        var cos = _cos.narrow(0, offset, time);
        var sin = _sin.narrow(0, offset, time);
        var swapped = cat([x.narrow(-1, _half, _half), x.narrow(-1, 0, _half)], -1);
        return (x * cos).Plus(swapped * sin);
    }

    public void To(Device device)
    {
        if (_cos.device == device)
        {
            return;
        }

        var (cos, sin) = (_cos.to(device), _sin.to(device));
        _cos.Dispose();
        _sin.Dispose();
        (_cos, _sin) = (cos, sin);
    }

    public void Dispose()
    {
        _cos.Dispose();
        _sin.Dispose();
    }
}
