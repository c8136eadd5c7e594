namespace ComposerBot.Rendering.Loudness;

/// <summary>
/// <see cref="LookAheadLimiter"/> on a stream: the same required gains, sliding minimum, sliding mean and
/// release, computed as envelope values arrive; each gain comes out once the look-ahead behind it is
/// known (two look-ahead windows later), so only a few windows of values are ever held.
/// </summary>
public sealed class StreamingLimiter(double inputGain, double ceiling, int lookAheadFrames, int releaseFrames)
{
    private const int Compact = 1 << 16;
    private const int Resum = 8192;
    private readonly List<double> _required = [];
    private readonly List<double> _minimum = [];
    private readonly LinkedList<long> _deque = new();
    private readonly double _release = 1 - Math.Exp(-1.0 / Math.Max(1, releaseFrames));
    private long _base;
    private long _pushed;
    private long _added;
    private long _minDone;
    private long _gainDone;
    private long _sumLo;
    private long _sumHi;
    private double _sum;
    private double _previous = 1.0;

    /// <summary>Adds envelope values; appends the gains that became known to <paramref name="output"/>.</summary>
    public void Push(ReadOnlySpan<float> envelope, List<float> output)
    {
        foreach (var value in envelope)
        {
            var peak = value * inputGain;
            _required.Add(peak > ceiling ? ceiling / peak : 1.0);
            _pushed++;
        }

        Advance(final: false, output);
    }

    /// <summary>The signal ended: the remaining gains, with the windows cut at the end as the batch limiter cuts them.</summary>
    public void Complete(List<float> output) => Advance(final: true, output);

    private void Advance(bool final, List<float> output)
    {
        var n = _pushed;
        var l = lookAheadFrames;
        while (_minDone < n && (final || _minDone + l < n))
        {
            var i = _minDone;
            for (var limit = Math.Min(n, i + l + 1); _added < limit; _added++)
            {
                var value = Required(_added);
                while (_deque.Count > 0 && Required(_deque.Last!.Value) >= value)
                {
                    _deque.RemoveLast();
                }

                _deque.AddLast(_added);
            }

            while (_deque.First!.Value < i - l)
            {
                _deque.RemoveFirst();
            }

            _minimum.Add(Required(_deque.First.Value));
            _minDone++;
        }

        while (_gainDone < _minDone && (final || _gainDone + l < _minDone))
        {
            var i = _gainDone;
            var lo = Math.Max(0, i - l);
            var hi = final ? Math.Min(n, i + l + 1) : i + l + 1;
            if (i % Resum == 0)
            {
                _sum = 0;
                for (var k = lo; k < hi; k++)
                {
                    _sum += Minimum(k);
                }

                (_sumLo, _sumHi) = (lo, hi);
            }

            for (; _sumHi < hi; _sumHi++)
            {
                _sum += Minimum(_sumHi);
            }

            for (; _sumLo < lo; _sumLo++)
            {
                _sum -= Minimum(_sumLo);
            }

            var smooth = _sum / (hi - lo);
            var g = Math.Min(smooth, _previous + ((1 - _previous) * _release));
            output.Add((float)g > g ? MathF.BitDecrement((float)g) : (float)g);
            _previous = g;
            _gainDone++;
        }

        // Drop what no later window can reach.
        var keepFrom = Math.Min(_gainDone - (2 * l) - 2, (_deque.Count > 0 ? _deque.First!.Value : _added) - 1);
        if (keepFrom - _base > Compact)
        {
            var drop = (int)(keepFrom - _base);
            _required.RemoveRange(0, drop);
            _minimum.RemoveRange(0, drop);
            _base += drop;
        }
    }

    private double Required(long index) => _required[(int)(index - _base)];

    private double Minimum(long index) => _minimum[(int)(index - _base)];
}
