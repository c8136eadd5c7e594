using ComposerBot.Rendering.Loudness;
using System.Runtime.CompilerServices;

namespace ComposerBot.Rendering.Mixing;

/// <summary>
/// Runs a <see cref="BusSettings"/> over interleaved stereo, block after block (its filter and envelope
/// state carry over, so a stream cut into blocks gives what one pass gives). The equaliser is linear, so
/// parts filtered alone sum to the filtered mix; the compressor's gain is computed from the mix and can be
/// handed to the parts (<see cref="CompressorGains"/>), so stems still sum to the mix.
/// </summary>
public sealed class BusChain
{
    private readonly Biquad[] _filters;
    private readonly BiquadState[,] _state;
    private readonly BusSettings _settings;
    private readonly double _attack;
    private readonly double _release;

    /// <summary>A held peak under this level is surely under the knee's foot: its reduction is 0 (no logarithm taken).</summary>
    private readonly double _quiet;

    private double _peak;
    private double _reductionDb;

    public BusChain(BusSettings settings, int sampleRate)
    {
        _settings = settings;
        var filters = new List<Biquad>();
        if (settings.HighPassHz > 0)
        {
            filters.Add(HighPass(settings.HighPassHz, sampleRate));
        }

        if (settings.LowShelfDb != 0)
        {
            filters.Add(Shelf(settings.LowShelfHz, settings.LowShelfDb, sampleRate, high: false));
        }

        if (settings.PresenceDb != 0)
        {
            filters.Add(Bell(settings.PresenceHz, settings.PresenceDb, 1.0, sampleRate));
        }

        if (settings.HighShelfDb != 0)
        {
            filters.Add(Shelf(settings.HighShelfHz, settings.HighShelfDb, sampleRate, high: true));
        }

        _filters = [.. filters];
        _state = new BiquadState[AudioBuffer.Channels, _filters.Length];
        _attack = Math.Exp(-1000.0 / (settings.AttackMilliseconds * sampleRate));
        _release = Math.Exp(-1000.0 / (settings.ReleaseMilliseconds * sampleRate));

        // Under the knee the reduction is 0: a level a millionth below the knee's foot is surely there (the
        // logarithm is good to an ulp), so its logarithm is not taken; the others get the same arithmetic. A
        // level is never taken as under 1e-6 (-120 dB), which might be over a knee that low.
        var quiet = Math.Pow(10, (settings.ThresholdDb - (settings.KneeDb / 2)) / 20) * (1 - 1e-6);
        _quiet = quiet > 1e-6 ? quiet : 0;
    }

    /// <summary>The equaliser's sections, in the order a sample goes through them.</summary>
    internal IReadOnlyList<Biquad> Filters => _filters;

    /// <summary>Whether the compressor does anything.</summary>
    public bool Compresses => _settings.Ratio > 1;

    /// <summary>
    /// Equalises the block in place: a chunk at a time in double precision, each filter over the whole chunk
    /// (both channels at once) before the next, which is each sample through the cascade in order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Equalize(Span<float> interleaved)
    {
        if (_filters.Length == 0)
        {
            return;
        }

        Span<double> chunk = new double[Math.Min(interleaved.Length, ChunkFrames * AudioBuffer.Channels)];
        for (var start = 0; start < interleaved.Length; start += chunk.Length)
        {
            var block = interleaved.Slice(start, Math.Min(chunk.Length, interleaved.Length - start));
            var work = chunk[..block.Length];
            for (var i = 0; i < block.Length; i++)
            {
                work[i] = block[i];
            }

            // Two sections a pass where there are two (the same arithmetic, their recursions overlapped).
            var f = 0;
            for (; f + 1 < _filters.Length; f += 2)
            {
                _filters[f].ProcessStereoThen(_filters[f + 1], work, ref _state[0, f], ref _state[1, f], ref _state[0, f + 1], ref _state[1, f + 1]);
            }

            if (f < _filters.Length)
            {
                _filters[f].ProcessStereo(work, ref _state[0, f], ref _state[1, f]);
            }

            for (var i = 0; i < block.Length; i++)
            {
                block[i] = (float)work[i];
            }
        }
    }

    /// <summary>
    /// The compressor's gain for each frame of the block: the louder channel's peak, held and let go at the
    /// release time, gives the reduction a soft-knee threshold and ratio ask for; the reduction moves toward
    /// it at the attack time (more) or the release time (less). The recursions are cheap and run in order;
    /// the logarithms and powers between them, a chunk at a time, on two threads.
    /// </summary>
    public float[] CompressorGains(ReadOnlySpan<float> interleaved)
    {
        var gains = new float[interleaved.Length / AudioBuffer.Channels];
        CompressorGains(interleaved, gains);
        return gains;
    }

    /// <summary>As above, into the first frames of <paramref name="gains"/> (a pooled buffer may be longer).</summary>
    public void CompressorGains(ReadOnlySpan<float> interleaved, float[] gains)
    {
        var frames = interleaved.Length / AudioBuffer.Channels;
        ArgumentOutOfRangeException.ThrowIfLessThan(gains.Length, frames);
        var level = new double[Math.Min(frames, ChunkFrames)];
        for (var start = 0; start < frames; start += level.Length)
        {
            var count = Math.Min(level.Length, frames - start);
            HeldPeaks(interleaved.Slice(2 * start, 2 * count), level);
            InHalves(count, (from, to) => Wanted(level, from, to));
            Smooth(level.AsSpan(0, count));
            var offset = start;
            InHalves(count, (from, to) => ToGains(level, from, to, gains.AsSpan(offset)));
        }
    }

    private const int ChunkFrames = 16_384;

    /// <summary>A reduction under this many dB leaves a gain that is exactly 1 in single precision.</summary>
    private const double NoReductionDb = 1e-7;

    /// <summary>The held peak of the louder channel, frame by frame, into <paramref name="peaks"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void HeldPeaks(ReadOnlySpan<float> interleaved, Span<double> peaks)
    {
        for (var frame = 0; frame < interleaved.Length / 2; frame++)
        {
            var peak = Math.Max(Math.Abs(interleaved[2 * frame]), Math.Abs(interleaved[(2 * frame) + 1]));
            _peak = Math.Max(peak, _peak * _release);
            peaks[frame] = _peak;
        }
    }

    /// <summary>The reduction in dB the soft knee asks for at each held peak, in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Wanted(double[] levels, int from, int to)
    {
        var slope = 1 - (1 / _settings.Ratio);
        var knee = _settings.KneeDb / 2;
        for (var i = from; i < to; i++)
        {
            if (levels[i] < _quiet)
            {
                levels[i] = 0;
                continue;
            }

            var over = (20 * Math.Log10(Math.Max(levels[i], 1e-6))) - _settings.ThresholdDb;
            levels[i] = over <= -knee ? 0
                : over >= knee ? slope * over
                : slope * (over + knee) * (over + knee) / (4 * knee);
        }
    }

    /// <summary>The reduction moving toward each wanted one at the attack or release time, in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Smooth(Span<double> levels)
    {
        for (var i = 0; i < levels.Length; i++)
        {
            var wanted = levels[i];
            var coefficient = wanted > _reductionDb ? _attack : _release;
            _reductionDb = wanted + (coefficient * (_reductionDb - wanted));
            levels[i] = _reductionDb;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ToGains(double[] reductions, int from, int to, Span<float> gains)
    {
        for (var i = from; i < to; i++)
        {
            // Under 1e-7 dB the gain is within 1.2e-8 of 1, which rounds to 1 in single precision: no power needed.
            gains[i] = reductions[i] is >= 0 and < NoReductionDb ? 1f : (float)Math.Pow(10, -reductions[i] / 20);
        }
    }

    /// <summary>Runs <paramref name="work"/> over [0, count) in two halves in parallel.</summary>
    private static void InHalves(int count, Action<int, int> work) =>
        Parallel.Invoke(() => work(0, count / 2), () => work(count / 2, count));

    /// <summary>Multiplies each frame of the block by its gain.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ApplyGains(Span<float> interleaved, ReadOnlySpan<float> gains)
    {
        for (var frame = 0; frame < gains.Length; frame++)
        {
            interleaved[2 * frame] *= gains[frame];
            interleaved[(2 * frame) + 1] *= gains[frame];
        }
    }

    /// <summary>Equalises and compresses the block in place.</summary>
    public void Process(Span<float> interleaved)
    {
        Equalize(interleaved);
        if (Compresses)
        {
            ApplyGains(interleaved, CompressorGains(interleaved));
        }
    }

    // The filters of the Audio EQ Cookbook (R. Bristow-Johnson), normalised so a0 = 1.
    private static Biquad HighPass(double hz, int rate)
    {
        var (cos, alpha) = Prewarp(hz, rate, 1 / Math.Sqrt(2));
        return Normalized((1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
    }

    private static Biquad Bell(double hz, double db, double q, int rate)
    {
        var a = Math.Pow(10, db / 40);
        var (cos, alpha) = Prewarp(hz, rate, q);
        return Normalized(1 + (alpha * a), -2 * cos, 1 - (alpha * a), 1 + (alpha / a), -2 * cos, 1 - (alpha / a));
    }

    private static Biquad Shelf(double hz, double db, int rate, bool high)
    {
        var a = Math.Pow(10, db / 40);
        var (cos, alpha) = Prewarp(hz, rate, 1 / Math.Sqrt(2));
        var root = 2 * Math.Sqrt(a) * alpha;
        var sign = high ? -1 : 1;
        return Normalized(
            a * ((a + 1) - (sign * (a - 1) * cos) + root),
            sign * 2 * a * ((a - 1) - (sign * (a + 1) * cos)),
            a * ((a + 1) - (sign * (a - 1) * cos) - root),
            (a + 1) + (sign * (a - 1) * cos) + root,
            -sign * 2 * ((a - 1) + (sign * (a + 1) * cos)),
            (a + 1) + (sign * (a - 1) * cos) - root);
    }

    private static (double Cos, double Alpha) Prewarp(double hz, int rate, double q)
    {
        var w = 2 * Math.PI * Math.Min(hz, 0.45 * rate) / rate;
        return (Math.Cos(w), Math.Sin(w) / (2 * q));
    }

    private static Biquad Normalized(double b0, double b1, double b2, double a0, double a1, double a2) =>
        new(b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0);
}
