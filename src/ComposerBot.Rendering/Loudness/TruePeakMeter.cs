using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ComposerBot.Rendering.Loudness;

/// <summary>
/// True peak by 4x oversampling (ITU-R BS.1770 Annex 2): a 96-tap Kaiser-windowed sinc interpolator in
/// four phases of 24 taps estimates the signal between samples. It is longer than the Annex's 48-tap
/// example so that content up to ~20 kHz is interpolated at full level, as ffmpeg's ebur128 does.
/// </summary>
public static class TruePeakMeter
{
    private const int Factor = 4;
    private const int TapsPerPhase = 24;

    /// <summary>Frames measured at a time (with the interpolator's margin on either side).</summary>
    private const int BlockFrames = 16384;
    private const double KaiserBeta = 7;
    private static readonly float[][] Phases = DesignPhases();

    /// <summary>The true peak of the audio in dBTP (dB relative to full scale).</summary>
    public static double TruePeakDbtp(AudioBuffer audio)
    {
        var peaks = new float[AudioBuffer.Channels];
        Parallel.For(0, AudioBuffer.Channels, channel => ChannelEnvelope(audio, channel, (_, block) => peaks[channel] = Math.Max(peaks[channel], Max(block))));
        return 20 * Math.Log10(Math.Max(peaks.Max(), 1e-12f));
    }

    /// <summary>
    /// Per frame, the largest absolute value of either channel at that sample and at the interpolated
    /// points between it and its neighbours. The channels are measured in parallel.
    /// </summary>
    public static float[] Envelope(AudioBuffer audio)
    {
        var envelope = new float[audio.Frames];
        Envelope(audio, envelope);
        return envelope;
    }

    /// <summary>
    /// The envelope into the first <see cref="AudioBuffer.Frames"/> values of <paramref name="envelope"/>
    /// (a pooled buffer may be longer); the other channels are measured into pooled buffers, not new ones.
    /// </summary>
    public static void Envelope(AudioBuffer audio, float[] envelope)
    {
        var frames = audio.Frames;
        ArgumentOutOfRangeException.ThrowIfLessThan(envelope.Length, frames);
        var others = Enumerable.Range(1, AudioBuffer.Channels - 1).Select(_ => ScratchBuffers.Rent(frames)).ToArray();
        try
        {
            Parallel.For(0, AudioBuffer.Channels, channel =>
            {
                var into = channel == 0 ? envelope : others[channel - 1].Array;
                ChannelEnvelope(audio, channel, (start, block) => block.CopyTo(into.AsSpan(start)));
            });
            var width = Vector<float>.Count;
            foreach (var other in others.Select(o => o.Array))
            {
                var i = 0;
                for (; i + width <= frames; i += width)
                {
                    Vector.Max(new Vector<float>(envelope, i), new Vector<float>(other, i)).CopyTo(envelope, i);
                }

                for (; i < frames; i++)
                {
                    envelope[i] = Math.Max(envelope[i], other[i]);
                }
            }
        }
        finally
        {
            foreach (var other in others)
            {
                other.Dispose();
            }
        }
    }

    /// <summary>Receives a channel's envelope a block at a time: the block's first frame and its peaks.</summary>
    private delegate void BlockSink(int start, ReadOnlySpan<float> peaks);

    /// <summary>
    /// One channel's envelope, <see cref="BlockFrames"/> frames at a time, each block with the samples the
    /// interpolator needs on either side: no copy of the whole signal is made.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ChannelEnvelope(AudioBuffer audio, int channel, BlockSink sink)
    {
        var frames = audio.Frames;
        var width = Vector<float>.Count;
        // Interpolated point k lies between x[k - Delay - 1] and x[k - Delay].
        const int Delay = (TapsPerPhase / 2) - 1;
        var length = BlockFrames + (2 * TapsPerPhase) + (2 * width);
        var padded = new float[length + TapsPerPhase + width];
        var upsampled = new float[length];
        var between = new float[length];
        var envelope = new float[BlockFrames];
        for (var start = 0; start < frames; start += BlockFrames)
        {
            // padded[i] = x[start - 2 TapsPerPhase + i], zero outside the signal: upsampled[k] is then the
            // interpolated point start - TapsPerPhase + k, and x[start + i] is padded[2 TapsPerPhase + i].
            var first = start - (2 * TapsPerPhase);
            var (from, to) = (Math.Max(0, -first), Math.Clamp(frames - first, 0, padded.Length));
            padded.AsSpan(0, from).Clear();
            for (var i = from; i < to; i++)
            {
                padded[i] = audio.Samples[((first + i) * AudioBuffer.Channels) + channel];
            }

            padded.AsSpan(to).Clear();

            Array.Clear(between);
            foreach (var phase in Phases)
            {
                Interpolate(padded, phase, upsampled);
                for (var k = 0; k + width <= between.Length; k += width)
                {
                    Vector.Max(new Vector<float>(between, k), Vector.Abs(new Vector<float>(upsampled, k))).CopyTo(between, k);
                }
            }

            // The peak at frame i: the sample itself and the interpolated points on either side of it.
            var count = Math.Min(BlockFrames, frames - start);
            var i0 = 0;
            for (; i0 + width <= count; i0 += width)
            {
                var peak = Vector.Max(
                    Vector.Abs(new Vector<float>(padded, (2 * TapsPerPhase) + i0)),
                    Vector.Max(new Vector<float>(between, TapsPerPhase + i0 + Delay), new Vector<float>(between, TapsPerPhase + i0 + Delay + 1)));
                peak.CopyTo(envelope, i0);
            }

            for (; i0 < count; i0++)
            {
                envelope[i0] = Math.Max(Math.Abs(padded[(2 * TapsPerPhase) + i0]), Math.Max(between[TapsPerPhase + i0 + Delay], between[TapsPerPhase + i0 + Delay + 1]));
            }

            sink(start, envelope.AsSpan(0, count));
        }
    }

    /// <summary>The largest of the values (0 for none; they are not negative).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Max(ReadOnlySpan<float> values)
    {
        var width = Vector<float>.Count;
        var maxima = Vector<float>.Zero;
        var i = 0;
        for (; i + width <= values.Length; i += width)
        {
            maxima = Vector.Max(maxima, new Vector<float>(values[i..]));
        }

        var max = 0f;
        for (var lane = 0; lane < width; lane++)
        {
            max = Math.Max(max, maxima[lane]);
        }

        for (; i < values.Length; i++)
        {
            max = Math.Max(max, values[i]);
        }

        return max;
    }

    /// <summary>
    /// output[k] = sum over j of taps[j] * x[k - j], x[k] = padded[TapsPerPhase + k] (zero past the end of
    /// padded), each sum a multiply and an add a tap, in tap order. Sixteen outputs to a 512-bit register where
    /// the processor has them (half the instructions of 256-bit ones), else <see cref="Vector{T}"/>'s width:
    /// the same arithmetic on each output either way (tested both ways).
    /// </summary>
    internal static void Interpolate(float[] padded, float[] taps, float[] output) =>
        Interpolate(padded, taps, output, Vector512.IsHardwareAccelerated);

    /// <summary>As above; <paramref name="wide"/> picks the 512-bit registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Interpolate(float[] padded, float[] taps, float[] output, bool wide)
    {
        // The wide loop reads without bounds checks: every x[k - j] it reads must lie in padded.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(taps.Length, TapsPerPhase + 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(padded.Length, TapsPerPhase + output.Length);
        var width = Vector<float>.Count;
        var k = 0;
        ref var x = ref MemoryMarshal.GetArrayDataReference(padded);
        ref var y = ref MemoryMarshal.GetArrayDataReference(output);
        for (; wide && k + 32 <= output.Length; k += 32)
        {
            var first = Vector512<float>.Zero;
            var second = Vector512<float>.Zero;
            for (var j = 0; j < taps.Length; j++)
            {
                var tap = Vector512.Create(taps[j]);
                var at = (nuint)(TapsPerPhase + k - j);
                first += Vector512.LoadUnsafe(ref x, at) * tap;
                second += Vector512.LoadUnsafe(ref x, at + 16) * tap;
            }

            first.StoreUnsafe(ref y, (nuint)k);
            second.StoreUnsafe(ref y, (nuint)k + 16);
        }

        // Two output vectors at a time: independent sums keep the multipliers busy (same order per lane).
        for (; k + (2 * width) <= output.Length; k += 2 * width)
        {
            var first = Vector<float>.Zero;
            var second = Vector<float>.Zero;
            for (var j = 0; j < taps.Length; j++)
            {
                var tap = new Vector<float>(taps[j]);
                first += new Vector<float>(padded, TapsPerPhase + k - j) * tap;
                second += new Vector<float>(padded, TapsPerPhase + k + width - j) * tap;
            }

            first.CopyTo(output, k);
            second.CopyTo(output, k + width);
        }

        for (; k + width <= output.Length; k += width)
        {
            var acc = Vector<float>.Zero;
            for (var j = 0; j < taps.Length; j++)
            {
                acc += new Vector<float>(padded, TapsPerPhase + k - j) * taps[j];
            }

            acc.CopyTo(output, k);
        }

        for (; k < output.Length; k++)
        {
            var acc = 0f;
            for (var j = 0; j < taps.Length; j++)
            {
                var index = TapsPerPhase + k - j;
                acc += index < padded.Length ? padded[index] * taps[j] : 0;
            }

            output[k] = acc;
        }
    }

    private static float[][] DesignPhases()
    {
        // Windowed sinc with its centre between taps, cut-off at the original Nyquist frequency, Kaiser
        // window; each phase is normalised to unity gain at DC.
        const int length = Factor * TapsPerPhase;
        var centre = (length - 1) / 2.0;
        var phases = new float[Factor][];
        for (var p = 0; p < Factor; p++)
        {
            var taps = new double[TapsPerPhase];
            for (var j = 0; j < TapsPerPhase; j++)
            {
                var n = p + (Factor * j);
                var t = (n - centre) / Factor;
                var sinc = Math.Abs(t) < 1e-12 ? 1 : Math.Sin(Math.PI * t) / (Math.PI * t);
                var r = (n - centre) / (centre + 0.5);
                taps[j] = sinc * BesselI0(KaiserBeta * Math.Sqrt(1 - (r * r))) / BesselI0(KaiserBeta);
            }

            var sum = taps.Sum();
            phases[p] = [.. taps.Select(t => (float)(t / sum))];
        }

        return phases;
    }

    /// <summary>The modified Bessel function of the first kind, order 0, by its power series.</summary>
    private static double BesselI0(double x)
    {
        double sum = 1, term = 1;
        for (var k = 1; k < 50 && term > 1e-12 * sum; k++)
        {
            term *= x * x / (4.0 * k * k);
            sum += term;
        }

        return sum;
    }
}
