namespace ComposerBot.Music;

/// <summary>
/// The tempo changes of a score with its resolution. Converts ticks to seconds and back. There is always a
/// tempo at tick 0.
/// </summary>
public sealed record TempoMap
{
    public TempoMap(int ticksPerQuarter, IEnumerable<TempoChange> changes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ticksPerQuarter, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ticksPerQuarter, 32767);
        TicksPerQuarter = ticksPerQuarter;
        var sorted = changes.GroupBy(c => c.Tick).Select(g => g.Last()).OrderBy(c => c.Tick).ToList();
        if (sorted.Count == 0 || sorted[0].Tick != 0)
        {
            sorted.Insert(0, new TempoChange(0, TempoChange.DefaultMicrosecondsPerQuarter));
        }

        foreach (var change in sorted)
        {
            if (change.Tick < 0 || change.MicrosecondsPerQuarter <= 0)
            {
                throw new ArgumentException($"Invalid tempo change {change}.", nameof(changes));
            }
        }

        Changes = sorted.ToValueList();
        _startSeconds = new double[sorted.Count];
        for (var i = 1; i < sorted.Count; i++)
        {
            _startSeconds[i] = _startSeconds[i - 1] + SecondsPerTick(sorted[i - 1]) * (sorted[i].Tick - sorted[i - 1].Tick);
        }
    }

    private readonly double[] _startSeconds;

    public int TicksPerQuarter { get; }

    public ValueList<TempoChange> Changes { get; }

    public static TempoMap Constant(int ticksPerQuarter, double bpm) =>
        new(ticksPerQuarter, [new TempoChange(0, TempoChange.MicrosecondsFromBpm(bpm))]);

    public double InitialBpm => Changes[0].Bpm;

    public double ToSeconds(long tick)
    {
        var i = IndexAtTick(tick);
        return _startSeconds[i] + SecondsPerTick(Changes[i]) * (tick - Changes[i].Tick);
    }

    /// <summary>The tick at a time in seconds, rounded to the nearest tick.</summary>
    public long ToTicks(double seconds)
    {
        var i = Array.BinarySearch(_startSeconds, seconds);
        i = i >= 0 ? i : Math.Max(0, ~i - 1);
        return Changes[i].Tick + (long)Math.Round((seconds - _startSeconds[i]) / SecondsPerTick(Changes[i]));
    }

    public TempoChange TempoAt(long tick) => Changes[IndexAtTick(tick)];

    private int IndexAtTick(long tick)
    {
        var lo = 0;
        var hi = Changes.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (Changes[mid].Tick <= tick)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return lo;
    }

    private double SecondsPerTick(TempoChange change) => change.MicrosecondsPerQuarter / 1e6 / TicksPerQuarter;

    public bool Equals(TempoMap? other) =>
        other is not null && TicksPerQuarter == other.TicksPerQuarter && Changes.Equals(other.Changes);

    public override int GetHashCode() => HashCode.Combine(TicksPerQuarter, Changes);
}
