using ComposerBot.Composition.Requests;

namespace ComposerBot.Composition.Prompts;

/// <summary>
/// A request as people give it: a prompt in plain words plus the options that override what the words said
/// (the CLI's flags, the slash command's options, the web form's fields). Plain data, so that a queued job
/// can carry it as JSON.
/// </summary>
public sealed record TrackOptions
{
    public string Prompt { get; init; } = "";

    public Style? Style { get; init; }

    public Mood? Mood { get; init; }

    public double? Tempo { get; init; }

    /// <summary>A key such as "D minor", "F#m" or "Bb major".</summary>
    public string? Key { get; init; }

    /// <summary>A meter such as "4/4" or "6/8".</summary>
    public string? Meter { get; init; }

    /// <summary>Seconds or bars: "45s", "2 min", "1:30", "16 bars".</summary>
    public string? Length { get; init; }

    public bool Loop { get; init; }

    public bool Stinger { get; init; }

    public bool Stems { get; init; }

    public bool NoDrums { get; init; }

    /// <summary>A tune cluster's name (jig, reel, waltz, ...).</summary>
    public string? Feel { get; init; }

    public int Seed { get; init; } = 1;

    /// <summary>
    /// The prompt read into a request, every explicit option applied over it. Throws
    /// <see cref="CompositionException"/> for an option that cannot be read (a bad key, meter or length).
    /// </summary>
    public ParsedPrompt Read()
    {
        var parsed = PromptParser.Parse(Prompt, Seed);
        var request = parsed.Request;
        request = Style is { } s ? request with { Style = s } : request;
        request = Mood is { } m ? request with { Mood = m } : request;
        request = Tempo is { } t ? request with { Tempo = t } : request;
        request = Key is { Length: > 0 } k ? request with { Key = PromptParser.ParseKeyOption(k) } : request;
        request = Meter is { Length: > 0 } me ? request with { Meter = PromptParser.ParseMeterOption(me) } : request;
        if (Length is { Length: > 0 } l)
        {
            var (seconds, bars) = PromptParser.ParseLengthOption(l);
            request = request with { LengthSeconds = seconds, LengthBars = bars };
        }

        request = Loop ? request with { Loop = true, Stinger = false } : request;
        request = Stinger ? request with { Stinger = true, Loop = false } : request;
        request = Stems ? request with { Stems = true } : request;
        request = NoDrums ? request with { Drums = false } : request;
        request = Feel is { Length: > 0 } f ? request with { Feel = f } : request;
        return parsed with { Request = request };
    }
}
