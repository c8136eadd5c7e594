using ComposerBot.Composition.Requests;
using ComposerBot.Music;
using ComposerBot.Music.LeadSheets;

namespace ComposerBot.Composition.Arrangement;

/// <summary>
/// Voices the comping under the tune: for each chord, among the close voicings (every inversion) whose top
/// stays a fourth under the lowest melody note sounding over the chord and whose bottom stays clear of
/// the bass register, the one nearest the previous voicing (the least total movement: voice leading), the
/// highest when there is no previous one. Where the tune dips too low for any, fewer voices (two at least)
/// under it, else the lowest voicing.
/// </summary>
internal sealed class Voicer(IReadOnlyList<Note> melody)
{
    private const int Gap = 5, Floor = 45, LowestFloor = 36, Unbounded = 76, Slack = 24;
    private int[]? _previous;

    /// <summary>The highest pitch the last voicing's chord may reach without crowding the tune.</summary>
    public int LastCeiling { get; private set; } = Unbounded;

    public int[] For(Chord chord, CompingPattern pattern, long start, long length)
    {
        var ceiling = Ceiling(start, length);
        LastCeiling = ceiling;
        var intervals = pattern == CompingPattern.PowerEighths ? [0, 7, 12] : Chord.Intervals(chord.Quality);
        var candidates = Candidates(chord.Root, intervals, pattern == CompingPattern.PowerEighths)
            .Where(v => v[^1] <= ceiling && v[0] >= (pattern == CompingPattern.PowerEighths ? LowestFloor : Floor)).ToList();
        if (candidates.Count == 0)
        {
            // The tune is low: fewer voices (the top ones dropped, two at least), lower, rather than over it.
            var thinned = Candidates(chord.Root, intervals, pattern == CompingPattern.PowerEighths)
                .SelectMany(v => Enumerable.Range(2, v.Length - 1).Select(n => v[..n]))
                .Where(v => v[^1] <= ceiling && v[0] >= LowestFloor)
                .OrderByDescending(v => v.Length).ThenByDescending(v => v[^1]).Take(1).ToList();
            candidates = thinned.Count > 0 ? thinned
                : [.. Candidates(chord.Root, intervals, pattern == CompingPattern.PowerEighths).Where(v => v[0] >= LowestFloor).OrderBy(v => v[^1]).Take(1)];
        }

        var previous = _previous;
        var chosen = previous is null || previous.Length != candidates[0].Length
            ? candidates.MaxBy(v => v[^1])!
            : candidates.MinBy(v => v.Zip(previous, (a, b) => Math.Abs(a - b)).Sum() * 16 - v[^1])!;
        _previous = chosen;
        return chosen;
    }

    /// <summary>
    /// Under the lowest melody note sounding in the span (widened by the humanisation's timing, which can
    /// move a note over a chord change), by the gap; high when the tune rests.
    /// </summary>
    private int Ceiling(long start, long length)
    {
        var lowest = int.MaxValue;
        foreach (var note in melody)
        {
            if (note.Start < start + length + Slack && note.End > start - Slack)
            {
                lowest = Math.Min(lowest, note.Pitch);
            }
        }

        return lowest == int.MaxValue ? Unbounded : lowest - Gap;
    }

    /// <summary>Close voicings of the chord in every inversion and octave (a power chord only in root position).</summary>
    private static IEnumerable<int[]> Candidates(int root, int[] intervals, bool rootPosition)
    {
        var inversions = rootPosition ? 1 : intervals.Length;
        for (var octave = 2; octave <= 6; octave++)
        {
            for (var inversion = 0; inversion < inversions; inversion++)
            {
                var bass = (12 * octave) + root + intervals[inversion];
                var voicing = new int[intervals.Length];
                for (var i = 0; i < intervals.Length; i++)
                {
                    var k = inversion + i;
                    voicing[i] = (12 * octave) + root + intervals[k % intervals.Length] + (12 * (k / intervals.Length));
                }

                if (voicing[0] == bass)
                {
                    yield return voicing;
                }
            }
        }
    }
}
