using ComposerBot.Composition.Prompts;
using ComposerBot.Composition.Requests;

namespace ComposerBot.Web;

/// <summary>The body of POST /api/compose: the same options as /compose and the CLI.</summary>
public sealed record ComposeForm
{
    public string? Prompt { get; init; }

    public string? Style { get; init; }

    public string? Mood { get; init; }

    public double? Tempo { get; init; }

    public string? Key { get; init; }

    public string? Meter { get; init; }

    public string? Length { get; init; }

    public bool Loop { get; init; }

    public bool Stinger { get; init; }

    public bool Stems { get; init; }

    public bool NoDrums { get; init; }

    public string? Feel { get; init; }

    public int? Seed { get; init; }

    public string? Format { get; init; }

    /// <summary>A stream kit (loops, outro, stinger, alerts sharing a motif) in the form's style and mood rather than one track.</summary>
    public bool Kit { get; init; }

    /// <summary>Whether the finished track may be shown in the gallery (yes unless the form says no).</summary>
    public bool? Public { get; init; }

    /// <summary>The form as track options; throws <see cref="CompositionException"/> for a style or mood that is not one.</summary>
    public TrackOptions ToTrack() => new()
    {
        Prompt = Prompt ?? "",
        Style = Style is { Length: > 0 } s ? Parse<Style>(s, "style") : null,
        Mood = Mood is { Length: > 0 } m ? Parse<Mood>(m, "mood") : null,
        Tempo = Tempo,
        Key = Key,
        Meter = Meter,
        Length = Length,
        Loop = Loop,
        Stinger = Stinger,
        Stems = Stems,
        NoDrums = NoDrums,
        Feel = Feel,
        Seed = Seed ?? Random.Shared.Next(1, 1_000_000),
    };

    private static T Parse<T>(string text, string what) where T : struct, Enum =>
        Enum.TryParse<T>(text.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new CompositionException($"'{text}' is not a {what}; use one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}.");
}
