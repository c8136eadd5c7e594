namespace ComposerBot.Studio;

/// <summary>
/// Time spent in each named phase of one compose, in the order the phases first ran; a phase that runs
/// more than once (a melody written again by the originality guard) adds up.
/// </summary>
public sealed class PhaseTimings(TimeProvider time)
{
    private readonly List<string> _order = [];
    private readonly Dictionary<string, TimeSpan> _elapsed = [];

    public T Time<T>(string phase, Func<T> work)
    {
        var started = time.GetTimestamp();
        try
        {
            return work();
        }
        finally
        {
            Add(phase, time.GetElapsedTime(started));
        }
    }

    public void Time(string phase, Action work) => Time(phase, () =>
    {
        work();
        return true;
    });

    public async Task TimeAsync(string phase, Func<Task> work)
    {
        var started = time.GetTimestamp();
        try
        {
            await work().ConfigureAwait(false);
        }
        finally
        {
            Add(phase, time.GetElapsedTime(started));
        }
    }

    public void Add(string phase, TimeSpan elapsed)
    {
        if (!_elapsed.TryGetValue(phase, out var sum))
        {
            _order.Add(phase);
        }

        _elapsed[phase] = sum + elapsed;
    }

    /// <summary>The phases in the order they first ran.</summary>
    public IReadOnlyList<KeyValuePair<string, TimeSpan>> Phases => [.. _order.Select(p => KeyValuePair.Create(p, _elapsed[p]))];
}
