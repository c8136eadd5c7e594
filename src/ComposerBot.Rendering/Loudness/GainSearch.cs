namespace ComposerBot.Rendering.Loudness;

/// <summary>
/// The search both normalisers run (<see cref="LoudnessNormalizer"/> on a buffer, the streaming render on a
/// spool): the gain whose limited output reaches the target loudness, by the secant method (the limiter
/// makes loudness grow more slowly than gain, so plain corrections would creep up on it), and once the
/// loudness is there, a lower limiter ceiling for as long as the true peak is over the target's.
/// </summary>
internal static class GainSearch
{
    private const int MaxPasses = 12;
    private const double LoudnessTolerance = 0.05;

    /// <param name="measuredLufs">The loudness before any gain.</param>
    /// <param name="evaluate">One limited pass at (gain dB, limiter ceiling dB): its loudness, and its true peak when asked.</param>
    /// <returns>The gain and ceiling of the last pass, with its loudness and true peak.</returns>
    public static (double GainDb, double CeilingDb, LoudnessReport Report) Run(
        LoudnessTarget target, double measuredLufs, Func<double, double, (double Lufs, Func<double> TruePeakDbtp)> evaluate, CancellationToken cancellationToken)
    {
        var gainDb = target.IntegratedLufs - measuredLufs;
        var ceilingDb = target.TruePeakCeilingDbtp;
        (double Gain, double Error)? previous = null;
        var lufs = measuredLufs;
        var truePeak = new Lazy<double>(() => double.NaN);
        var (lastGain, lastCeiling) = (gainDb, ceilingDb);
        for (var pass = 0; pass < MaxPasses; pass++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            (lastGain, lastCeiling) = (gainDb, ceilingDb);
            var (passLufs, passPeak) = evaluate(gainDb, ceilingDb);
            (lufs, truePeak) = (passLufs, new Lazy<double>(passPeak));
            var error = target.IntegratedLufs - lufs;
            if (Math.Abs(error) <= LoudnessTolerance)
            {
                // The limiter bounds the peaks it sees; the meter's interpolator has the final word.
                var excess = truePeak.Value - target.TruePeakCeilingDbtp;
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

        return (lastGain, lastCeiling, new LoudnessReport(lufs, truePeak.Value));
    }
}
