using System.Runtime.CompilerServices;

namespace ComposerBot.Rendering.Loudness;

/// <summary>
/// A look-ahead peak limiter computed over the whole signal at once: the gain starts falling before a
/// peak arrives (no clipping, no overshoot), never exceeds what keeps every peak under the ceiling, and
/// recovers over the release time.
/// </summary>
public static class LookAheadLimiter
{
    /// <summary>
    /// The gain per frame that keeps <c>inputGain * envelope[n] * gain[n]</c> at or under
    /// <paramref name="ceiling"/> for every frame.
    /// </summary>
    public static float[] Gains(float[] envelope, double inputGain, double ceiling, int lookAheadFrames, int releaseFrames) =>
        Gains(WindowPeaks(envelope, lookAheadFrames), inputGain, ceiling, lookAheadFrames, releaseFrames, new float[envelope.Length]);

    /// <summary>
    /// The largest envelope value in each window [i - L, i + L]: what the limiter needs of the envelope
    /// whatever the gain, so a gain search computes it once.
    /// </summary>
    public static float[] WindowPeaks(float[] envelope, int lookAheadFrames)
    {
        var result = new float[envelope.Length];
        WindowPeaks(envelope, lookAheadFrames, result);
        return result;
    }

    /// <summary>As above, into <paramref name="result"/> (as long as the envelope).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WindowPeaks(ReadOnlySpan<float> envelope, int lookAheadFrames, Span<float> result)
    {
        // The maximum of each window [i - L, i + L] in O(n) without branching on the data (van Herk and
        // Gil-Werman): cut the frames, from -L, into runs as long as a window (2L + 1). A window starting j
        // frames into a run covers that run's last 2L + 1 - j frames and the next run's first j, so its maximum
        // is the larger of the run's maximum from j on and the next run's maximum up to j - 1. A maximum is
        // exact, so any order of taking it gives the same float.
        var n = envelope.Length;
        ArgumentOutOfRangeException.ThrowIfNotEqual(result.Length, n);
        ArgumentOutOfRangeException.ThrowIfNegative(lookAheadFrames);
        var w = (2 * lookAheadFrames) + 1;
        var fromHere = new float[w];
        var upToThere = new float[w];

        // Run r covers frames [r w - L, (r + 1) w - L): the windows of frames [r w, (r + 1) w) start in it.
        for (var start = 0; start < n; start += w)
        {
            var first = start - lookAheadFrames;
            var peak = float.NegativeInfinity;
            for (var j = w - 1; j >= 0; j--)
            {
                peak = Math.Max(peak, At(envelope, first + j));
                fromHere[j] = peak;
            }

            peak = float.NegativeInfinity;
            for (var j = 0; j < w - 1; j++)
            {
                peak = Math.Max(peak, At(envelope, first + w + j));
                upToThere[j] = peak;
            }

            var count = Math.Min(w, n - start);
            result[start] = fromHere[0];
            for (var j = 1; j < count; j++)
            {
                result[start + j] = Math.Max(fromHere[j], upToThere[j - 1]);
            }
        }
    }

    /// <summary>The envelope's value at a frame, minus infinity outside it (no window holds only such frames).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float At(ReadOnlySpan<float> envelope, int frame) =>
        (uint)frame < (uint)envelope.Length ? envelope[frame] : float.NegativeInfinity;

    /// <summary>As above, from <see cref="WindowPeaks(float[], int)"/> and into <paramref name="gains"/> (as long as the peaks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float[] Gains(ReadOnlySpan<float> windowPeaks, double inputGain, double ceiling, int lookAheadFrames, int releaseFrames, float[] gains)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(gains.Length, windowPeaks.Length);
        // The gain each frame needs is the least its window needs: the ceiling over the window's peak. The
        // mean of those over [i - L, i + L] never exceeds what frame i needs (every term's window holds i).
        // The running sums of those needs are kept for the span of one mean only (2L + 2 of them, not one per
        // frame: a minute of audio saved 21 MB); each is the same sum, added in the same order.
        var n = windowPeaks.Length;
        var sums = new double[(2 * lookAheadFrames) + 2];
        var length = sums.Length;

        // sums[at] is the sum of the first `summed` needs; the ring's positions wrap by comparison, not division.
        int summed = 0, at = 0;
        var release = 1 - Math.Exp(-1.0 / Math.Max(1, releaseFrames));
        var previous = 1.0;
        for (var i = 0; i < n; i++)
        {
            var lo = Math.Max(0, i - lookAheadFrames);
            var hi = Math.Min(n, i + lookAheadFrames + 1);
            for (; summed < hi; summed++)
            {
                var peak = windowPeaks[summed] * inputGain;
                var next = at + 1 == length ? 0 : at + 1;
                sums[next] = sums[at] + (peak > ceiling ? ceiling / peak : 1.0);
                at = next;
            }

            var back = at - (hi - lo);
            var smooth = (sums[at] - sums[back < 0 ? back + length : back]) / (hi - lo);
            var g = Math.Min(smooth, previous + ((1 - previous) * release));
            // Rounding to float must not lift the gain over the bound.
            gains[i] = (float)g > g ? MathF.BitDecrement((float)g) : (float)g;
            previous = g;
        }

        return gains;
    }
}
