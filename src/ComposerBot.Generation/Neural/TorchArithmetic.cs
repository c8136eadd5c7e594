using TorchSharp;
using static TorchSharp.torch;

namespace ComposerBot.Generation.Neural;

/// <summary>
/// Tensor arithmetic that holds its numbers until libtorch has read them. TorchSharp 0.107 turns every
/// number in an operator (the implicit 1 of <c>a + b</c>, the 2 of <c>2 * t</c>, a fill
/// value) into a <see cref="Scalar"/> that nothing disposes and whose last managed use is the read of its
/// native handle: a garbage collection started by any other thread during the native call may finalize it,
/// and libtorch then reads freed memory ("Expected false to be true ... toFloat", or worse). Every such
/// operation in this project goes through these helpers, which dispose the Scalar after the call returns
/// (TorchSharp PR #1496 tracks the library's own fix). <c>a - b</c> of two tensors makes no Scalar and stays. TorchSharp's optimisers do the same inside their
/// steps, so training uses this project's <see cref="Training.AdamW"/>.
/// </summary>
internal static class TorchArithmetic
{
    /// <summary>a + b.</summary>
    public static Tensor Plus(this Tensor a, Tensor b)
    {
        using var one = 1.ToScalar();
        return a.add(b, one);
    }

    /// <summary>a + value.</summary>
    public static Tensor Plus(this Tensor a, double value)
    {
        using var scalar = value.ToScalar();
        using var one = 1.ToScalar();
        return a.add(scalar, one);
    }

    /// <summary>a × factor.</summary>
    public static Tensor Times(this Tensor a, double factor)
    {
        using var scalar = factor.ToScalar();
        return a.mul(scalar);
    }

    /// <summary>a ÷ divisor.</summary>
    public static Tensor Over(this Tensor a, double divisor)
    {
        using var scalar = divisor.ToScalar();
        return a.div(scalar);
    }

    /// <summary>a with value where mask is true.</summary>
    public static Tensor FilledWhere(this Tensor a, Tensor mask, float value)
    {
        using var scalar = value.ToScalar();
        return a.masked_fill(mask, scalar);
    }
}
