namespace ComposerBot.Rendering.Loudness;

/// <summary>
/// Brings audio to the target integrated loudness with the true peak under the ceiling: a gain, then the
/// look-ahead limiter, re-measured and corrected until both hold.
/// </summary>
public static class LoudnessNormalizer
{
    private const int MaxPasses = 12;
    private const double LoudnessTolerance = 0.05;

    public static (AudioBuffer Audio, LoudnessReport Report) Normalize(AudioBuffer input, LoudnessTarget target, CancellationToken cancellationToken = default)
    {
        var result = NormalizeWithGains(input, target, cancellationToken);
        return (result.Audio, result.Report);
    }

    /// <summary>
    /// Normalises and also returns the gain applied to each frame, so that parts rendered separately (stems)
    /// can be given exactly the same treatment and still sum to the mix. Null gains mean nothing was changed.
    /// </summary>
    public static (AudioBuffer Audio, LoudnessReport Report, float[]? Gains) NormalizeWithGains(AudioBuffer input, LoudnessTarget target, CancellationToken cancellationToken = default)
    {
        var measured = LoudnessMeter.IntegratedLufs(input);
        if (double.IsNegativeInfinity(measured))
        {
            // Too short or too quiet to gate: leave it as it is.
            return (input, new LoudnessReport(measured, TruePeakMeter.TruePeakDbtp(input)), null);
        }

        var envelope = TruePeakMeter.Envelope(input);
        var lookAhead = (int)(target.LookAheadMilliseconds * input.SampleRate / 1000);
        var release = (int)(target.ReleaseMilliseconds * input.SampleRate / 1000);
        var ceilingDb = target.TruePeakCeilingDbtp;

        // Find the gain whose limited output hits the target loudness by the secant method: the limiter
        // makes loudness grow more slowly than gain, so plain corrections would creep up on it.
        var gainDb = target.IntegratedLufs - measured;
        (double Gain, double Error)? previous = null;
        var output = input;
        var loudness = measured;
        var applied = new float[input.Frames];
        for (var pass = 0; pass < MaxPasses; pass++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var gain = Math.Pow(10, gainDb / 20);
            var limiter = LookAheadLimiter.Gains(envelope, gain, Math.Pow(10, ceilingDb / 20), lookAhead, release);
            for (var f = 0; f < applied.Length; f++)
            {
                applied[f] = (float)(gain * limiter[f]);
            }

            output = Apply(input, applied);
            loudness = LoudnessMeter.IntegratedLufs(output);
            var error = target.IntegratedLufs - loudness;
            if (Math.Abs(error) <= LoudnessTolerance)
            {
                // The limiter bounds the peaks it sees; the meter's interpolator has the final word.
                var excess = TruePeakMeter.TruePeakDbtp(output) - target.TruePeakCeilingDbtp;
                if (excess <= 0)
                {
                    break;
                }

                ceilingDb -= excess + 0.01;
                previous = null;
                continue;
            }

            var slope = previous is { } p && Math.Abs(error - p.Error) > 1e-6 ? (gainDb - p.Gain) / (p.Error - error) : 1.0;
            previous = (gainDb, error);
            gainDb += error * Math.Clamp(slope, 1.0, 10.0);
        }

        // Whatever the passes reached, the ceiling holds: a last plain gain takes off any excess.
        var truePeak = TruePeakMeter.TruePeakDbtp(output);
        if (truePeak > target.TruePeakCeilingDbtp)
        {
            var trim = (float)Math.Pow(10, (target.TruePeakCeilingDbtp - truePeak - 0.01) / 20);
            for (var f = 0; f < applied.Length; f++)
            {
                applied[f] *= trim;
            }

            output = Apply(input, applied);
            loudness = LoudnessMeter.IntegratedLufs(output);
            truePeak = TruePeakMeter.TruePeakDbtp(output);
        }

        return (output, new LoudnessReport(loudness, truePeak), applied);
    }

    /// <summary>Multiplies every frame of the audio by its gain.</summary>
    public static AudioBuffer Apply(AudioBuffer input, float[] gains)
    {
        var samples = new float[input.Samples.Length];
        for (var f = 0; f < gains.Length; f++)
        {
            samples[2 * f] = input.Samples[2 * f] * gains[f];
            samples[(2 * f) + 1] = input.Samples[(2 * f) + 1] * gains[f];
        }

        return input with { Samples = samples };
    }
}
