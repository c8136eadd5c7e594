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
    public static float[] Gains(float[] envelope, double inputGain, double ceiling, int lookAheadFrames, int releaseFrames)
    {
        var n = envelope.Length;
        var required = new double[n];
        for (var i = 0; i < n; i++)
        {
            var peak = envelope[i] * inputGain;
            required[i] = peak > ceiling ? ceiling / peak : 1.0;
        }

        // The minimum over [i - L, i + L] then the mean over [i - L, i + L]: every term of that mean is a
        // minimum over a window that contains i, so the mean never exceeds required[i].
        var minimum = SlidingMinimum(required, lookAheadFrames);
        var prefix = new double[n + 1];
        for (var i = 0; i < n; i++)
        {
            prefix[i + 1] = prefix[i] + minimum[i];
        }

        var gains = new float[n];
        var release = 1 - Math.Exp(-1.0 / Math.Max(1, releaseFrames));
        var previous = 1.0;
        for (var i = 0; i < n; i++)
        {
            var lo = Math.Max(0, i - lookAheadFrames);
            var hi = Math.Min(n, i + lookAheadFrames + 1);
            var smooth = (prefix[hi] - prefix[lo]) / (hi - lo);
            var g = Math.Min(smooth, previous + ((1 - previous) * release));
            // Rounding to float must not lift the gain over the bound.
            gains[i] = (float)g > g ? MathF.BitDecrement((float)g) : (float)g;
            previous = g;
        }

        return gains;
    }

    /// <summary>The minimum of each window [i - radius, i + radius], by a monotonic deque in O(n).</summary>
    private static double[] SlidingMinimum(double[] values, int radius)
    {
        var n = values.Length;
        var result = new double[n];
        var deque = new int[n];
        int head = 0, tail = 0, added = 0;
        for (var i = 0; i < n; i++)
        {
            for (var limit = Math.Min(n, i + radius + 1); added < limit; added++)
            {
                while (tail > head && values[deque[tail - 1]] >= values[added])
                {
                    tail--;
                }

                deque[tail++] = added;
            }

            while (deque[head] < i - radius)
            {
                head++;
            }

            result[i] = values[deque[head]];
        }

        return result;
    }
}
