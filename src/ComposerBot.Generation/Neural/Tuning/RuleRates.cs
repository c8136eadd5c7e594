using ComposerBot.Music.LeadSheets;
using ComposerBot.Music.Metrics;

namespace ComposerBot.Generation.Neural.Tuning;

/// <summary>
/// The rules <see cref="RlTuner"/> rewards that RL Tuner's published table does not count, over a set of
/// melodies, as percentages: melodies ending on the tonic, intervals between neighbours that are not
/// harmonious (<see cref="RlTuner.Harmonious"/>), and notes that are the third leap in a row.
/// </summary>
public sealed record RuleRates(double EndsOnTonicPercent, double UnharmoniousIntervalPercent, double LeapRunPercent)
{
    public static RuleRates Of(IEnumerable<LeadSheet> sheets)
    {
        int melodies = 0, endsOnTonic = 0, intervals = 0, unharmonious = 0, notes = 0, leapRuns = 0;
        foreach (var sheet in sheets.Where(s => s.Melody.Count > 0))
        {
            var pitches = sheet.Melody.Select(n => n.Pitch).ToArray();
            melodies++;
            notes += pitches.Length;
            endsOnTonic += pitches[^1] % 12 == sheet.Key.Tonic ? 1 : 0;
            var run = 0;
            for (var i = 1; i < pitches.Length; i++)
            {
                var interval = pitches[i] - pitches[i - 1];
                intervals++;
                unharmonious += RlTuner.Harmonious(interval) ? 0 : 1;
                run = OpenLeap.IsLeap(pitches[i - 1], pitches[i]) ? run + 1 : 0;
                leapRuns += run >= 3 ? 1 : 0;
            }
        }

        return new RuleRates(
            melodies == 0 ? 0 : 100.0 * endsOnTonic / melodies,
            intervals == 0 ? 0 : 100.0 * unharmonious / intervals,
            notes == 0 ? 0 : 100.0 * leapRuns / notes);
    }
}
