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
        var measured = LoudnessMeter.IntegratedLufs(input);
        if (double.IsNegativeInfinity(measured))
        {
            // Too short or too quiet to gate: leave it as it is.
            return (input, new LoudnessReport(measured, TruePeakMeter.TruePeakDbtp(input)));
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
        for (var pass = 0; pass < MaxPasses; pass++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var gain = Math.Pow(10, gainDb / 20);
            output = Apply(input, gain, LookAheadLimiter.Gains(envelope, gain, Math.Pow(10, ceilingDb / 20), lookAhead, release));
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
            output = Apply(output, Math.Pow(10, (target.TruePeakCeilingDbtp - truePeak - 0.01) / 20), null);
            loudness = LoudnessMeter.IntegratedLufs(output);
            truePeak = TruePeakMeter.TruePeakDbtp(output);
        }

        return (output, new LoudnessReport(loudness, truePeak));
    }

    private static AudioBuffer Apply(AudioBuffer input, double gain, float[]? gains)
    {
        var samples = new float[input.Samples.Length];
        for (var f = 0; f < input.Frames; f++)
        {
            var g = (float)(gain * (gains?[f] ?? 1f));
            samples[2 * f] = input.Samples[2 * f] * g;
            samples[(2 * f) + 1] = input.Samples[(2 * f) + 1] * g;
        }

        return input with { Samples = samples };
    }
}
