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

    /// <summary>
    /// What the plan changed to make whole bars, in words: the length rounded to keep a stated tempo, or
    /// the tempo moved to fit a length; null when the request is played as asked.
    /// </summary>
    public string? Adjustment
    {
        get
        {
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            if (Math.Abs(Tempo - Request.Tempo) > 0.0005)
            {
                return string.Create(inv, $"tempo {Tempo:0.##} bpm (not {Request.Tempo:0.##}) so that {Bars} whole bars last exactly {Request.LengthSeconds:0.##} s");
            }

            return Request.LengthSeconds is { } asked && Math.Abs(DurationSeconds - asked) > 0.005
                ? string.Create(inv, $"length {DurationSeconds:0.##} s (not {asked:0.##} s): {Bars} whole bars at {Tempo:0.##} bpm")
                : null;
        }
    }

    /// <summary>The request in one line as it will be played: the planned tempo and length.</summary>
    public string Describe()
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var length = Request.LengthBars is { } bars ? $"{bars} bars" : string.Create(inv, $"{DurationSeconds:0.##} s ({Bars} bars)");
        return Request.Describe(string.Create(inv, $"{Tempo:0.##} bpm"), length);
    }
}
