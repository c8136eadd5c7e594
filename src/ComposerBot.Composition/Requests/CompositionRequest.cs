using ComposerBot.Music;

namespace ComposerBot.Composition.Requests;

/// <summary>
/// What a user asked for. Every field but the style may be left open; <see cref="Resolve"/> fills the
/// gaps from the style's defaults and the mood, and validates the result.
/// </summary>
public sealed record CompositionRequest
{
    public const double MinTempo = 40;
    public const double MaxTempo = 240;
    public const double MaxSeconds = 600;
    public const double MinStingerSeconds = 1;
    public const double MaxStingerSeconds = 10;
    public const int MaxBars = 256;

    public Style Style { get; init; } = Style.Piano;

    public Mood Mood { get; init; } = Mood.Neutral;

    public double? Tempo { get; init; }

    public KeySignature? Key { get; init; }

    /// <summary>Major or minor without a tonic ("something in a minor key"); a full <see cref="Key"/> wins.</summary>
    public KeyMode? Mode { get; init; }

    public MeterChange? Meter { get; init; }

    public double? LengthSeconds { get; init; }

    public int? LengthBars { get; init; }

    public bool Loop { get; init; }

    public bool Stinger { get; init; }

    public bool Stems { get; init; }

    public bool Drums { get; init; } = true;

    public int Seed { get; init; } = 1;

    /// <summary>A feel: the name of a tune cluster (jig, reel, waltz, chorale, ...); null lets the style and meter choose.</summary>
    public string? Feel { get; init; }

    /// <summary>General MIDI programs that replace the style's choice for a role.</summary>
    public IReadOnlyDictionary<InstrumentRole, int> Instruments { get; init; } = new Dictionary<InstrumentRole, int>();

    /// <summary>Fills every open field and checks the whole; throws <see cref="CompositionException"/> when it cannot be made.</summary>
    public ResolvedRequest Resolve()
    {
        if (Loop && Stinger)
        {
            throw new CompositionException("a piece cannot be both a loop and a stinger; ask for one of them.");
        }

        if (Tempo is { } t && (t < MinTempo || t > MaxTempo))
        {
            throw new CompositionException($"tempo {t:0.#} bpm is out of range; use {MinTempo:0}-{MaxTempo:0} bpm.");
        }

        if (LengthSeconds is { } s && (s <= 0 || s > MaxSeconds))
        {
            throw new CompositionException($"length {s:0.#} s is out of range; use up to {MaxSeconds:0} seconds.");
        }

        if (Stinger && LengthSeconds is { } ss && (ss < MinStingerSeconds || ss > MaxStingerSeconds))
        {
            throw new CompositionException($"a stinger lasts {MinStingerSeconds:0}-{MaxStingerSeconds:0} seconds, not {ss:0.#} s.");
        }

        if (LengthBars is { } b && (b < 1 || b > MaxBars))
        {
            throw new CompositionException($"length {b} bars is out of range; use 1-{MaxBars} bars.");
        }

        if (LengthBars is not null && LengthSeconds is not null)
        {
            throw new CompositionException("give the length in seconds or in bars, not both.");
        }

        if (Meter is { } m && (m.Numerator is < 2 or > 12 || m.Denominator is not (2 or 4 or 8)))
        {
            throw new CompositionException($"meter {m} is not supported; use 2/4, 3/4, 4/4, 6/8, 9/8 or 12/8 and the like.");
        }

        foreach (var (role, program) in Instruments)
        {
            if (program is < 0 or > 127)
            {
                throw new CompositionException($"instrument {program} for the {role.ToString().ToLowerInvariant()} is not a General MIDI program (0-127).");
            }
        }

        var profile = StyleProfile.For(Style);
        var mode = Key?.Mode ?? Mode ?? StyleProfile.ModeFor(Mood);
        var key = Key ?? KeySignature.FromTonic(StyleProfile.DefaultTonic(mode, Seed), mode);
        var meter = Meter ?? profile.DefaultMeter;
        var tempo = Tempo ?? profile.TempoFor(Mood);
        var seconds = LengthBars is null ? LengthSeconds ?? (Stinger ? 4 : Loop ? 30 : profile.DefaultSeconds) : (double?)null;
        var instruments = profile.Instruments.ToDictionary(kv => kv.Key, kv => Instruments.TryGetValue(kv.Key, out var p) ? p : kv.Value);
        return new ResolvedRequest(this, profile, Mood, key, meter with { Tick = 0 }, tempo, seconds, LengthBars, Loop, Stinger, Stems, Drums && profile.HasDrums, Seed, instruments);
    }
}
