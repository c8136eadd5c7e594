using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ComposerBot.Generation.Neural;

/// <summary>
/// The arithmetic of <see cref="CpuDecoder"/> on spans of floats, vectorised with <see cref="Vector256{T}"/>
/// (a 16-lane dot product in two of them). Every sum runs in a fixed order with fused multiply-adds, whatever
/// the processor's vector width.
/// </summary>
internal static class DecoderKernels
{
    private const float NormEpsilon = 1e-5f;

    /// <summary>The lanes a dot product sums its products in, each every 16th product in index order.</summary>
    private const int Lanes = 16;

    /// <summary>(x - mean) / √(variance + ε) × weight + bias, the variance biased, as layer_norm.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Norm(ReadOnlySpan<float> x, float[] weight, float[] bias, Span<float> output)
    {
        double sum = 0;
        foreach (var v in x)
        {
            sum += v;
        }

        var mean = (float)(sum / x.Length);
        double squares = 0;
        foreach (var v in x)
        {
            squares += (v - mean) * (double)(v - mean);
        }

        var inverse = (float)(1 / Math.Sqrt((squares / x.Length) + NormEpsilon));
        for (var i = 0; i < x.Length; i++)
        {
            output[i] = ((x[i] - mean) * inverse * weight[i]) + bias[i];
        }
    }

    /// <summary>
    /// y = x Wᵀ + b for <paramref name="rows"/> rows of x: W is [outputs, inputs] row-major, as nn.Linear keeps
    /// it (an empty bias adds nothing). Four weight rows at a time against two rows of x at once (then the
    /// last one alone), so each weight is read from memory once per call and twice from cache per pair of
    /// rows. Every output is summed exactly as <see cref="Dot"/> sums it: a row's results do not depend on
    /// the rows beside it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Linear(ReadOnlySpan<float> x, int rows, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int outputs, Span<float> y)
    {
        var inputs = weight.Length / outputs;
        var j = 0;
        if (inputs % Lanes == 0)
        {
            for (; j + 4 <= outputs; j += 4)
            {
                var w = weight.Slice(j * inputs, 4 * inputs);
                var r = 0;
                for (; r + 2 <= rows; r += 2)
                {
                    var (a, b) = Dot4x2(w, inputs, x.Slice(r * inputs, 2 * inputs));
                    Store(a, bias, j, y.Slice((r * outputs) + j, 4));
                    Store(b, bias, j, y.Slice(((r + 1) * outputs) + j, 4));
                }

                if (r < rows)
                {
                    Store(Dot4(w, inputs, x.Slice(r * inputs, inputs)), bias, j, y.Slice((r * outputs) + j, 4));
                }
            }
        }

        for (; j < outputs; j++)
        {
            var w = weight.Slice(j * inputs, inputs);
            for (var r = 0; r < rows; r++)
            {
                y[(r * outputs) + j] = Dot(w, x.Slice(r * inputs, inputs)) + (bias.IsEmpty ? 0 : bias[j]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector128<float> sums, ReadOnlySpan<float> bias, int first, Span<float> y)
    {
        if (!bias.IsEmpty)
        {
            sums += Vector128.Create(bias.Slice(first, 4));
        }

        sums.CopyTo(y);
    }

    /// <summary>Σ a[i] b[i]: products summed in <see cref="Lanes"/> lanes in index order, then the lanes in a fixed order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        ref var pa = ref MemoryMarshal.GetReference(a);
        ref var pb = ref MemoryMarshal.GetReference(b);
        var low = Vector256<float>.Zero;
        var high = Vector256<float>.Zero;
        var i = 0;
        for (; i + Lanes <= a.Length; i += Lanes)
        {
            low = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pa, (nuint)i), Vector256.LoadUnsafe(ref pb, (nuint)i), low);
            high = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pa, (nuint)i + 8), Vector256.LoadUnsafe(ref pb, (nuint)i + 8), high);
        }

        var sum = Reduce(low, high);
        for (; i < a.Length; i++)
        {
            sum = MathF.FusedMultiplyAdd(a[i], b[i], sum);
        }

        return sum;
    }

    /// <summary>The dot products of four consecutive rows of w (inputs a multiple of 16) with x, each summed exactly as <see cref="Dot"/> sums it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Dot4(ReadOnlySpan<float> w, int inputs, ReadOnlySpan<float> x)
    {
        ref var pw = ref MemoryMarshal.GetReference(w);
        ref var px = ref MemoryMarshal.GetReference(x);
        var (l0, h0, l1, h1) = (Vector256<float>.Zero, Vector256<float>.Zero, Vector256<float>.Zero, Vector256<float>.Zero);
        var (l2, h2, l3, h3) = (Vector256<float>.Zero, Vector256<float>.Zero, Vector256<float>.Zero, Vector256<float>.Zero);
        var (o1, o2, o3) = ((nuint)inputs, (nuint)(2 * inputs), (nuint)(3 * inputs));
        for (nuint i = 0; i < (nuint)inputs; i += Lanes)
        {
            var xl = Vector256.LoadUnsafe(ref px, i);
            var xh = Vector256.LoadUnsafe(ref px, i + 8);
            l0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pw, i), xl, l0);
            h0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pw, i + 8), xh, h0);
            l1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pw, o1 + i), xl, l1);
            h1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pw, o1 + i + 8), xh, h1);
            l2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pw, o2 + i), xl, l2);
            h2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pw, o2 + i + 8), xh, h2);
            l3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pw, o3 + i), xl, l3);
            h3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pw, o3 + i + 8), xh, h3);
        }

        return Vector128.Create(Reduce(l0, h0), Reduce(l1, h1), Reduce(l2, h2), Reduce(l3, h3));
    }

    /// <summary><see cref="Dot4"/> for two rows of x at once (x holds them one after the other): each weight loaded once for both.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<float>, Vector128<float>) Dot4x2(ReadOnlySpan<float> w, int inputs, ReadOnlySpan<float> x)
    {
        ref var pw = ref MemoryMarshal.GetReference(w);
        ref var px = ref MemoryMarshal.GetReference(x);
        var (al0, ah0, al1, ah1) = (Vector256<float>.Zero, Vector256<float>.Zero, Vector256<float>.Zero, Vector256<float>.Zero);
        var (al2, ah2, al3, ah3) = (Vector256<float>.Zero, Vector256<float>.Zero, Vector256<float>.Zero, Vector256<float>.Zero);
        var (bl0, bh0, bl1, bh1) = (Vector256<float>.Zero, Vector256<float>.Zero, Vector256<float>.Zero, Vector256<float>.Zero);
        var (bl2, bh2, bl3, bh3) = (Vector256<float>.Zero, Vector256<float>.Zero, Vector256<float>.Zero, Vector256<float>.Zero);
        var (o1, o2, o3) = ((nuint)inputs, (nuint)(2 * inputs), (nuint)(3 * inputs));
        for (nuint i = 0; i < (nuint)inputs; i += Lanes)
        {
            var al = Vector256.LoadUnsafe(ref px, i);
            var ah = Vector256.LoadUnsafe(ref px, i + 8);
            var bl = Vector256.LoadUnsafe(ref px, o1 + i);
            var bh = Vector256.LoadUnsafe(ref px, o1 + i + 8);
            var w0 = Vector256.LoadUnsafe(ref pw, i);
            var w1 = Vector256.LoadUnsafe(ref pw, i + 8);
            al0 = Vector256.FusedMultiplyAdd(w0, al, al0);
            ah0 = Vector256.FusedMultiplyAdd(w1, ah, ah0);
            bl0 = Vector256.FusedMultiplyAdd(w0, bl, bl0);
            bh0 = Vector256.FusedMultiplyAdd(w1, bh, bh0);
            w0 = Vector256.LoadUnsafe(ref pw, o1 + i);
            w1 = Vector256.LoadUnsafe(ref pw, o1 + i + 8);
            al1 = Vector256.FusedMultiplyAdd(w0, al, al1);
            ah1 = Vector256.FusedMultiplyAdd(w1, ah, ah1);
            bl1 = Vector256.FusedMultiplyAdd(w0, bl, bl1);
            bh1 = Vector256.FusedMultiplyAdd(w1, bh, bh1);
            w0 = Vector256.LoadUnsafe(ref pw, o2 + i);
            w1 = Vector256.LoadUnsafe(ref pw, o2 + i + 8);
            al2 = Vector256.FusedMultiplyAdd(w0, al, al2);
            ah2 = Vector256.FusedMultiplyAdd(w1, ah, ah2);
            bl2 = Vector256.FusedMultiplyAdd(w0, bl, bl2);
            bh2 = Vector256.FusedMultiplyAdd(w1, bh, bh2);
            w0 = Vector256.LoadUnsafe(ref pw, o3 + i);
            w1 = Vector256.LoadUnsafe(ref pw, o3 + i + 8);
            al3 = Vector256.FusedMultiplyAdd(w0, al, al3);
            ah3 = Vector256.FusedMultiplyAdd(w1, ah, ah3);
            bl3 = Vector256.FusedMultiplyAdd(w0, bl, bl3);
            bh3 = Vector256.FusedMultiplyAdd(w1, bh, bh3);
        }

        return (Vector128.Create(Reduce(al0, ah0), Reduce(al1, ah1), Reduce(al2, ah2), Reduce(al3, ah3)),
            Vector128.Create(Reduce(bl0, bh0), Reduce(bl1, bh1), Reduce(bl2, bh2), Reduce(bl3, bh3)));
    }

    /// <summary>The 16 lanes' sum in a fixed order: lane i with lane i + 8, then the eight as <see cref="Reduce(Vector256{float})"/> adds them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Reduce(Vector256<float> low, Vector256<float> high) => Reduce(low + high);

    /// <summary>The 8 lanes' sum in a fixed order: lane i with lane i + 4, then those pairs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Reduce(Vector256<float> eight)
    {
        var four = eight.GetLower() + eight.GetUpper();
        return (four.GetElement(0) + four.GetElement(2)) + (four.GetElement(1) + four.GetElement(3));
    }

    /// <summary>
    /// Scales the scores and replaces each by e^(score - max), returning their sum: softmax's numerators and
    /// denominator (the max taken off so nothing overflows).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Softmax(Span<float> scores, float scale)
    {
        ref var p = ref MemoryMarshal.GetReference(scores);
        var n = scores.Length;
        var factor = Vector256.Create(scale);
        var maxima = Vector256.Create(float.NegativeInfinity);
        var i = 0;
        for (; i + 8 <= n; i += 8)
        {
            var scaled = Vector256.LoadUnsafe(ref p, (nuint)i) * factor;
            scaled.StoreUnsafe(ref p, (nuint)i);
            maxima = Vector256.Max(maxima, scaled);
        }

        var max = maxima.ToScalar();
        for (var lane = 1; lane < 8; lane++)
        {
            max = MathF.Max(max, maxima.GetElement(lane));
        }

        for (; i < n; i++)
        {
            scores[i] *= scale;
            max = MathF.Max(max, scores[i]);
        }

        var shift = Vector256.Create(max);
        var sums = Vector256<float>.Zero;
        i = 0;
        for (; i + 8 <= n; i += 8)
        {
            var e = Vector256.Exp(Vector256.LoadUnsafe(ref p, (nuint)i) - shift);
            e.StoreUnsafe(ref p, (nuint)i);
            sums += e;
        }

        var total = Reduce(sums);
        for (; i < n; i++)
        {
            scores[i] = MathF.Exp(scores[i] - max);
            total += scores[i];
        }

        return total;
    }

    /// <summary>
    /// o = Σₚ weights[p] × values[p] over the rows of values ([weights.Length, o.Length]), each element summed in
    /// row order; 32 elements at a time in four registers, so the sums advance side by side (64 at a time in
    /// four 512-bit registers where the processor has them: the same fused multiply-adds per element).
    /// </summary>
    public static void WeightedSum(ReadOnlySpan<float> values, ReadOnlySpan<float> weights, Span<float> o) =>
        WeightedSum(values, weights, o, Vector512.IsHardwareAccelerated);

    /// <summary>As above; <paramref name="wide"/> picks the 512-bit registers (the same sums either way; tested both ways).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void WeightedSum(ReadOnlySpan<float> values, ReadOnlySpan<float> weights, Span<float> o, bool wide)
    {
        var width = o.Length;
        ref var pv = ref MemoryMarshal.GetReference(values);
        ref var po = ref MemoryMarshal.GetReference(o);
        var i = 0;
        for (; wide && i + 64 <= width; i += 64)
        {
            var (a, b, c, d) = (Vector512<float>.Zero, Vector512<float>.Zero, Vector512<float>.Zero, Vector512<float>.Zero);
            for (var p = 0; p < weights.Length; p++)
            {
                var w = Vector512.Create(weights[p]);
                var at = (nuint)((p * width) + i);
                a = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref pv, at), w, a);
                b = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref pv, at + 16), w, b);
                c = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref pv, at + 32), w, c);
                d = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref pv, at + 48), w, d);
            }

            a.StoreUnsafe(ref po, (nuint)i);
            b.StoreUnsafe(ref po, (nuint)i + 16);
            c.StoreUnsafe(ref po, (nuint)i + 32);
            d.StoreUnsafe(ref po, (nuint)i + 48);
        }

        for (; i + 32 <= width; i += 32)
        {
            var (a, b, c, d) = (Vector256<float>.Zero, Vector256<float>.Zero, Vector256<float>.Zero, Vector256<float>.Zero);
            for (var p = 0; p < weights.Length; p++)
            {
                var w = Vector256.Create(weights[p]);
                var at = (nuint)((p * width) + i);
                a = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pv, at), w, a);
                b = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pv, at + 8), w, b);
                c = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pv, at + 16), w, c);
                d = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pv, at + 24), w, d);
            }

            a.StoreUnsafe(ref po, (nuint)i);
            b.StoreUnsafe(ref po, (nuint)i + 8);
            c.StoreUnsafe(ref po, (nuint)i + 16);
            d.StoreUnsafe(ref po, (nuint)i + 24);
        }

        for (; i + 8 <= width; i += 8)
        {
            var a = Vector256<float>.Zero;
            for (var p = 0; p < weights.Length; p++)
            {
                a = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pv, (nuint)((p * width) + i)), Vector256.Create(weights[p]), a);
            }

            a.StoreUnsafe(ref po, (nuint)i);
        }

        for (; i < width; i++)
        {
            var sum = 0f;
            for (var p = 0; p < weights.Length; p++)
            {
                sum = MathF.FusedMultiplyAdd(values[(p * width) + i], weights[p], sum);
            }

            o[i] = sum;
        }
    }

    /// <summary>x ×= factor.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scale(Span<float> x, float factor)
    {
        for (var i = 0; i < x.Length; i++)
        {
            x[i] *= factor;
        }
    }

    /// <summary>x += y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add(Span<float> x, ReadOnlySpan<float> y)
    {
        for (var i = 0; i < x.Length; i++)
        {
            x[i] += y[i];
        }
    }

    /// <summary>
    /// x ← x/2 × (1 + erf(x/√2)), the exact GELU nn.functional.gelu computes, in double precision sixteen at a
    /// time (the last few padded to sixteen). With u = |x|/√2, erfc(u) = t P(t) e^(-u²) for t = 1/(1 + u/2), P a
    /// polynomial fitted to it (see <see cref="ErfcPolynomial"/>); so GELU is x - x/2 erfc(u) for x ≥ 0 and
    /// x/2 erfc(u) below, which loses nothing to cancellation where GELU is small.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gelu(Span<float> x)
    {
        var i = 0;
        for (; i + 16 <= x.Length; i += 16)
        {
            Gelu16(x.Slice(i, 16));
        }

        if (i < x.Length)
        {
            // Each value goes through the very same operations wherever it lies, so the padding changes nothing.
            Span<float> rest = stackalloc float[16];
            rest.Clear();
            x[i..].CopyTo(rest);
            Gelu16(rest);
            rest[..(x.Length - i)].CopyTo(x[i..]);
        }
    }

    /// <summary>
    /// GELU of sixteen values, as four vectors of doubles side by side: four independent chains through the
    /// polynomial keep the processor's FMA units busy where one chain would wait on each step's latency.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Gelu16(Span<float> x)
    {
        ref var p = ref MemoryMarshal.GetReference(x);
        var (a, b) = Vector256.Widen(Vector256.LoadUnsafe(ref p));
        var (c, d) = Vector256.Widen(Vector256.LoadUnsafe(ref p, 8));
        var scale = Vector256.Create(0.70710678118654752440);
        var half = Vector256.Create(0.5);
        Vector256<double> ua = Vector256.Abs(a) * scale, ub = Vector256.Abs(b) * scale, uc = Vector256.Abs(c) * scale, ud = Vector256.Abs(d) * scale;
        var one = Vector256<double>.One;
        Vector256<double> ta = one / (one + (ua * half)), tb = one / (one + (ub * half)), tc = one / (one + (uc * half)), td = one / (one + (ud * half));
        var first = Vector256.Create(ErfcPolynomial[0]);
        Vector256<double> pa = first, pb = first, pc = first, pd = first;
        for (var k = 1; k < ErfcPolynomial.Length; k++)
        {
            var coefficient = Vector256.Create(ErfcPolynomial[k]);
            pa = Vector256.FusedMultiplyAdd(pa, ta, coefficient);
            pb = Vector256.FusedMultiplyAdd(pb, tb, coefficient);
            pc = Vector256.FusedMultiplyAdd(pc, tc, coefficient);
            pd = Vector256.FusedMultiplyAdd(pd, td, coefficient);
        }

        Vector256.Narrow(GeluFrom(a, half * ta * pa * Vector256.Exp(-(ua * ua))), GeluFrom(b, half * tb * pb * Vector256.Exp(-(ub * ub)))).StoreUnsafe(ref p);
        Vector256.Narrow(GeluFrom(c, half * tc * pc * Vector256.Exp(-(uc * uc))), GeluFrom(d, half * td * pd * Vector256.Exp(-(ud * ud)))).StoreUnsafe(ref p, 8);
    }

    /// <summary>x Φ(x) from x and erfc(|x|/√2)/2: x times it below zero, x less x times it above.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> GeluFrom(Vector256<double> x, Vector256<double> halfErfc)
    {
        var below = x * halfErfc;
        return Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<double>.Zero), below, x - below);
    }

    /// <summary>
    /// P(t) with erfc(u) = t P(t) e^(-u²), t = 1/(1 + u/2), highest power first: the degree-18 Chebyshev fit of
    /// erfc(u) e^(u²) / t on t in [0, 1] (that is, u from 0 to infinity), made with mpmath's chebyfit at 40
    /// digits; evaluated in double precision, erf from it is within 1e-13 of the true value for every u
    /// (tested against a plain series and continued fraction).
    /// </summary>
    internal static readonly double[] ErfcPolynomial =
    [
        -0.03205177899857229, 0.31925567110535524, -1.4472029179507349, 3.9264237829989974, -7.0410328247018787,
        8.6820091027316941, -7.4302273875364273, 4.4171851741967849, -1.9162672295487824, 0.70682365082193299,
        -0.16817001844239923, -0.022908861338169887, -0.060875359565887542, -0.0040157800128924528, 0.083722059943743252,
        0.17631020971818545, 0.24683292286689501, 0.28209479193844783, 0.28209479177365065,
    ];
}
