using ComposerBot.Composition.Requests;

namespace ComposerBot.Composition.Planning;

/// <summary>
/// Plans the form: intro, A, B, A' and an ending (or, for loops, A B A' that leads back to the start; for
/// stingers, a build and a final hit). A stated tempo is kept exactly and the length rounds to whole bars.
/// Otherwise bar counts fit the requested length at the style's tempo within one beat; where whole bars
/// cannot, the tempo moves by the least that makes them fit exactly. Stingers always get the tempo that
/// makes them exact.
/// </summary>
public static class FormPlanner
{
    /// <param name="intro">False when the melody must be heard from the first bar (a track that continues a given melody).</param>
    public static FormPlan Plan(ResolvedRequest request, bool intro = true)
    {
        var quartersPerBar = request.Meter.Numerator * 4.0 / request.Meter.Denominator;
        var secondsPerBar = quartersPerBar * 60 / request.Tempo;
        var secondsPerBeat = secondsPerBar / request.Meter.Numerator;
        int bars;
        var tempo = request.Tempo;
        if (request.LengthBars is { } asked)
        {
            bars = asked;
        }
        else
        {
            var seconds = request.LengthSeconds!.Value;
            bars = request.Stinger ? StingerBars(seconds, quartersPerBar, request.Tempo) : Math.Max(1, (int)Math.Round(seconds / secondsPerBar));

            // A tempo the user stated is kept exactly (the length rounds to whole bars), but for a stinger,
            // whose exact length is the point; a default tempo moves by the least that fits the length.
            var tempoStated = request.Original.Tempo is not null;
            if (request.Stinger || (!tempoStated && Math.Abs((bars * secondsPerBar) - seconds) > secondsPerBeat))
            {
                tempo = quartersPerBar * bars * 60 / seconds;
            }

            if (tempo < CompositionRequest.MinTempo || tempo > CompositionRequest.MaxTempo)
            {
                throw new CompositionException($"{seconds:0.#} s cannot be filled with whole bars of {request.Meter} near {request.Tempo:0} bpm; try another length or tempo.");
            }
        }

        return new FormPlan(request, tempo, bars, Sections(request, bars, intro));
    }

    /// <summary>
    /// A build then a hit bar: the bar count whose exact tempo is nearest the asked one, preferring a build
    /// of at least one bar; a single hit bar only when the stinger is too short for two.
    /// </summary>
    private static int StingerBars(double seconds, double quartersPerBar, double tempo)
    {
        double TempoFor(int bars) => quartersPerBar * bars * 60 / seconds;
        var candidates = Enumerable.Range(1, 6).Where(b => TempoFor(b) is >= CompositionRequest.MinTempo and <= CompositionRequest.MaxTempo).ToList();
        var withBuild = candidates.Where(b => b >= 2).ToList();
        var pool = withBuild.Count > 0 ? withBuild : candidates;
        return pool.Count == 0 ? 1 : pool.MinBy(b => Math.Abs(TempoFor(b) - tempo));
    }

    private static List<Section> Sections(ResolvedRequest request, int bars, bool intro)
    {
        var (low, high) = EnergyRange(request.Mood);
        double At(double position) => low + ((high - low) * position);
        if (request.Stinger)
        {
            return bars == 1
                ? [new Section("hit", 0, 1, At(1))]
                : [new Section("build", 0, bars - 1, At(0.5)), new Section("hit", bars - 1, 1, At(1))];
        }

        if (bars < 4)
        {
            return [new Section("A", 0, bars, At(0.6))];
        }

        // Proportions: intro 1/8, A 3/8, B 1/4, A' 1/4 (less the ending); loops drop intro and ending.
        var parts = new List<(string Name, double Share, double Energy)>();
        if (intro && !request.Loop && bars >= 8)
        {
            parts.Add(("intro", 0.125, 0.3));
        }

        parts.Add(("A", 0.375, 0.6));
        parts.Add(("B", 0.25, 0.85));
        parts.Add(("A'", 0.25, 1.0));
        var total = parts.Sum(p => p.Share);
        var ending = request.Loop ? 0 : Math.Max(1, bars / 16);
        var available = bars - ending;
        var sections = new List<Section>();
        var start = 0;
        for (var i = 0; i < parts.Count; i++)
        {
            var length = i == parts.Count - 1 ? available - start : Math.Max(1, (int)Math.Round(available * parts[i].Share / total));
            sections.Add(new Section(parts[i].Name, start, length, At(parts[i].Energy)));
            start += length;
        }

        if (ending > 0)
        {
            sections.Add(new Section("ending", start, ending, At(0.4)));
        }

        return [.. sections.Where(s => s.Bars > 0)];
    }

    /// <summary>Calm moods stay low, epic and tense ones climb high.</summary>
    public static (double Low, double High) EnergyRange(Mood mood) => mood switch
    {
        Mood.Calm or Mood.Dreamy => (0.2, 0.55),
        Mood.Sad => (0.25, 0.6),
        Mood.Dark => (0.3, 0.75),
        Mood.Neutral or Mood.Playful or Mood.Happy => (0.4, 0.8),
        Mood.Tense or Mood.Epic or Mood.Triumphant => (0.5, 1.0),
        _ => (0.4, 0.8),
    };
}
