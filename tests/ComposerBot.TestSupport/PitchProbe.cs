namespace ComposerBot.TestSupport;

/// <summary>
/// The pitch a listener hears in a stretch of audio, as a fractional MIDI note number, by the YIN estimator
/// (de Cheveigné and Kawahara, 2002: the cumulative mean normalised difference function, its first dip
/// under a threshold, refined by a parabola). Good from about 40 Hz to 4 kHz.
/// </summary>
public static class PitchProbe
{
    private const double Threshold = 0.15;

    /// <summary>The pitch of interleaved stereo samples between two times (seconds), or NaN where nothing periodic sounds.</summary>
    public static double MidiPitch(float[] stereo, int rate, double fromSeconds, double toSeconds)
    {
        var start = (int)(fromSeconds * rate);
        var length = Math.Min((int)((toSeconds - fromSeconds) * rate), (stereo.Length / 2) - start);
        var x = new double[length];
        for (var i = 0; i < length; i++)
        {
            x[i] = stereo[2 * (start + i)] + stereo[(2 * (start + i)) + 1];
        }

        var minLag = rate / 4000;
        var maxLag = Math.Min(rate / 40, length / 2);
        var window = length - maxLag;
        var d = new double[maxLag + 2];
        for (var lag = 1; lag <= maxLag + 1 && lag < length - window; lag++)
        {
            var sum = 0.0;
            for (var j = 0; j < window; j++)
            {
                var diff = x[j] - x[j + lag];
                sum += diff * diff;
            }

            d[lag] = sum;
        }

        // Cumulative mean normalised difference: 1 at lag 0, dips towards 0 at the period.
        var cmnd = new double[d.Length];
        cmnd[0] = 1;
        var running = 0.0;
        for (var lag = 1; lag < d.Length; lag++)
        {
            running += d[lag];
            cmnd[lag] = running > 0 ? d[lag] * lag / running : 1;
        }

        for (var lag = minLag; lag < cmnd.Length - 1; lag++)
        {
            if (cmnd[lag] >= Threshold)
            {
                continue;
            }

            while (lag + 1 < cmnd.Length - 1 && cmnd[lag + 1] < cmnd[lag])
            {
                lag++;
            }

            var (a, b, c) = (cmnd[lag - 1], cmnd[lag], cmnd[lag + 1]);
            var denominator = a - (2 * b) + c;
            var refined = lag + (denominator != 0 ? (a - c) / (2 * denominator) : 0);
            return 69 + (12 * Math.Log2(rate / refined / 440.0));
        }

        return double.NaN;
    }
}
