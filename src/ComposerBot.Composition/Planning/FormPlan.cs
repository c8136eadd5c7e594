using ComposerBot.Composition.Requests;
using ComposerBot.Music;

namespace ComposerBot.Composition.Planning;

/// <summary>The shape of a piece: its sections, bar count, and the tempo that makes it last as asked.</summary>
public sealed record FormPlan(ResolvedRequest Request, double Tempo, int Bars, IReadOnlyList<Section> Sections)
{
    public MeterChange Meter => Request.Meter;

    public double SecondsPerBar => Meter.Numerator * 4.0 / Meter.Denominator * 60 / Tempo;

    public double SecondsPerBeat => Meter.TicksPerBeat(480) / 480.0 * 60 / Tempo;

    /// <summary>The music's length: bars times bar length (the rendered tail comes on top, except for loops and stingers).</summary>
    public double DurationSeconds => Bars * SecondsPerBar;

    public Section SectionAt(int bar) => Sections.Last(s => s.StartBar <= bar);
}
