using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ComposerBot.Rendering.Loudness;

/// <summary>
/// Brings audio to the target integrated loudness with the true peak under the ceiling: a gain, then the
/// look-ahead limiter, re-measured and corrected until both hold.
/// </summary>
public static class LoudnessNormalizer
{
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

        var frames = input.Frames;
        var lookAhead = (int)(target.LookAheadMilliseconds * input.SampleRate / 1000);
        var release = (int)(target.ReleaseMilliseconds * input.SampleRate / 1000);
        // The passes reuse one output buffer. Their true peak is the input's envelope times the gain (the
        // gain moves slowly next to the interpolator's span); the meter measures the result once at the end.
        var output = input with { Samples = new float[input.Samples.Length] };

        // Each pass writes the limiter's gains here and then scales them by the pass's gain, in place.
        var applied = new float[frames];

        // The envelope and its window peaks live only for the search: pooled buffers (a minute at 48 kHz is
        // 11 MB each), not two more large objects for the collector a track. The envelope's second channel is
        // measured into a buffer it gives back before the window peaks take one.
        using var envelope = ScratchBuffers.Rent(frames);
        TruePeakMeter.Envelope(input, envelope.Array);
        using var windowPeaks = ScratchBuffers.Rent(frames);
        LookAheadLimiter.WindowPeaks(envelope.Span, lookAhead, windowPeaks.Span);
        var (_, _, report) = GainSearch.Run(target, measured, (gainDb, ceilingDb) =>
        {
            var gain = Math.Pow(10, gainDb / 20);
            LookAheadLimiter.Gains(windowPeaks.Span, gain, Math.Pow(10, ceilingDb / 20), lookAhead, release, applied);
            var peak = ScaleGains(applied, gain, envelope.Array);

            Apply(input, applied, output.Samples);
            return (LoudnessMeter.IntegratedLufs(output), () => 20 * Math.Log10(Math.Max(peak, 1e-12f)));
        }, cancellationToken);

        var loudness = report.IntegratedLufs;

        // Whatever the passes reached, the ceiling holds by the meter: a last plain gain takes off any excess.
        var truePeak = TruePeakMeter.TruePeakDbtp(output);
        if (truePeak > target.TruePeakCeilingDbtp)
        {
            var trim = (float)Math.Pow(10, (target.TruePeakCeilingDbtp - truePeak - 0.01) / 20);
            for (var f = 0; f < applied.Length; f++)
            {
                applied[f] *= trim;
            }

            Apply(input, applied, output.Samples);
            loudness = LoudnessMeter.IntegratedLufs(output);
            truePeak = TruePeakMeter.TruePeakDbtp(output);
        }

        return (output, new LoudnessReport(loudness, truePeak), applied);
    }

    /// <summary>
    /// Scales each gain by <paramref name="gain"/> (in double, rounded to float) and returns the largest
    /// envelope value times its scaled gain: eight frames at a time, each with the arithmetic of one at a time
    /// (a maximum is exact in any order; the envelope and gains are finite and not negative).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static float ScaleGains(float[] gains, double gain, float[] envelope)
    {
        var factor = Vector256.Create(gain);
        var peaks = Vector256<float>.Zero;
        var f = 0;
        for (; f + 8 <= gains.Length; f += 8)
        {
            var (low, high) = Vector256.Widen(Vector256.Create(gains.AsSpan(f, 8)));
            var scaled = Vector256.Narrow(low * factor, high * factor);
            scaled.CopyTo(gains, f);
            peaks = Vector256.Max(peaks, Vector256.Create(envelope.AsSpan(f, 8)) * scaled);
        }

        var peak = 0f;
        for (var lane = 0; lane < 8; lane++)
        {
            peak = Math.Max(peak, peaks.GetElement(lane));
        }

        for (; f < gains.Length; f++)
        {
            gains[f] = (float)(gain * gains[f]);
            peak = Math.Max(peak, envelope[f] * gains[f]);
        }

        return peak;
    }

    /// <summary>Multiplies every frame of the audio by its gain.</summary>
    public static AudioBuffer Apply(AudioBuffer input, float[] gains)
    {
        var samples = new float[input.Samples.Length];
        Apply(input, gains, samples);
        return input with { Samples = samples };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Apply(AudioBuffer input, float[] gains, float[] samples)
    {
        for (var f = 0; f < gains.Length; f++)
        {
            samples[2 * f] = input.Samples[2 * f] * gains[f];
            samples[(2 * f) + 1] = input.Samples[(2 * f) + 1] * gains[f];
        }
    }
}
