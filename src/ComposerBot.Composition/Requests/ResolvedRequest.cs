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
    public string Describe()
    {
        var inv = CultureInfo.InvariantCulture;
        var length = LengthBars is { } bars ? $"{bars} bars" : string.Create(inv, $"{LengthSeconds:0.#} s");
        var kind = Loop ? ", seamless loop" : Stinger ? ", stinger" : "";
        var extras = (Drums ? "" : ", no drums") + (Stems ? ", stems" : "");
        return string.Create(inv, $"{StyleProfile.Name(Style)}, {Mood.ToString().ToLowerInvariant()}, {Key.Name}, {Meter}, {Tempo:0} bpm, {length}{kind}{extras}, seed {Seed}");
    }
}
