using System.Globalization;
using ComposerBot.Music;

namespace ComposerBot.Composition.Requests;

/// <summary>A request with every choice made: what the planner and arranger work from.</summary>
public sealed record ResolvedRequest(
    CompositionRequest Original,
    StyleProfile Profile,
    Mood Mood,
    KeySignature Key,
    MeterChange Meter,
    double Tempo,
    double? LengthSeconds,
    int? LengthBars,
    bool Loop,
    bool Stinger,
    bool Stems,
    bool Drums,
    int Seed,
    IReadOnlyDictionary<InstrumentRole, int> Instruments)
{
    public Style Style => Profile.Style;

    /// <summary>The request in one line, as the user should read it back.</summary>
    public string Describe() => Describe(
        string.Create(CultureInfo.InvariantCulture, $"{Tempo:0} bpm"),
        LengthBars is { } bars ? $"{bars} bars" : string.Create(CultureInfo.InvariantCulture, $"{LengthSeconds:0.#} s"));

    /// <summary>The same line with the tempo and length in other words (as a plan will play them).</summary>
    public string Describe(string tempo, string length)
    {
        var kind = Loop ? ", seamless loop" : Stinger ? ", stinger" : "";
        var extras = (Drums ? "" : ", no drums") + (Stems ? ", stems" : "");
        return string.Create(CultureInfo.InvariantCulture, $"{StyleProfile.Name(Style)}, {Mood.ToString().ToLowerInvariant()}, {Key.Name}, {Meter}, {tempo}, {length}{kind}{extras}, seed {Seed}");
    }
}
