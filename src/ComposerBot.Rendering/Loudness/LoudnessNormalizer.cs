namespace ComposerBot.Rendering.Loudness;

/// <summary>
/// Brings audio to the target integrated loudness with the true peak under the ceiling: a gain, then the
/// look-ahead limiter, re-measured and corrected until both hold.
/// </summary>
public static class LoudnessNormalizer
{
    private const int MaxPasses = 8;
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
        var gainDb = target.IntegratedLufs - measured;
        var ceilingDb = target.TruePeakCeilingDbtp;
        var output = input;
        var loudness = measured;
        var truePeak = double.PositiveInfinity;
        for (var pass = 0; pass < MaxPasses; pass++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var gain = Math.Pow(10, gainDb / 20);
            output = Apply(input, gain, LookAheadLimiter.Gains(envelope, gain, Math.Pow(10, ceilingDb / 20), lookAhead, release));
            loudness = LoudnessMeter.IntegratedLufs(output);
            var loudnessError = target.IntegratedLufs - loudness;
            if (Math.Abs(loudnessError) > LoudnessTolerance && pass < MaxPasses - 1)
            {
                // The limiter took some loudness away: add the difference and limit again.
                gainDb += loudnessError;
                continue;
            }

            // The limiter bounds the peaks it sees; the interpolator of the meter has the final word.
            truePeak = TruePeakMeter.TruePeakDbtp(output);
            var peakExcess = truePeak - target.TruePeakCeilingDbtp;
            if (peakExcess <= 0)
            {
                break;
            }

            ceilingDb -= peakExcess + 0.01;
        }

        return (output, new LoudnessReport(loudness, truePeak));
    }

    private static AudioBuffer Apply(AudioBuffer input, double gain, float[] gains)
    {
        var samples = new float[input.Samples.Length];
        for (var f = 0; f < gains.Length; f++)
        {
            var g = (float)(gain * gains[f]);
            samples[2 * f] = input.Samples[2 * f] * g;
            samples[(2 * f) + 1] = input.Samples[(2 * f) + 1] * g;
        }

        return input with { Samples = samples };
    }
}
