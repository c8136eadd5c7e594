using System.Globalization;
using ComposerBot.Composition.Requests;

namespace ComposerBot.Web.Radio;

/// <summary>A station: a style, a mood and a track length; its tracks are the requests of its own requester id.</summary>
public sealed record RadioStation(Style Style, Mood Mood, double TrackSeconds)
{
    public string Id => string.Create(CultureInfo.InvariantCulture, $"{StyleProfile.Name(Style)}-{Mood.ToString().ToLowerInvariant()}-{TrackSeconds:0.#}s");

    /// <summary>Whom the station's requests are made for in the queue.</summary>
    public string Requester => "radio:" + Id;

    public string Name => $"{StyleProfile.Name(Style)} radio ({Mood.ToString().ToLowerInvariant()})";

    /// <summary>The station the query names: ?style=lofi&amp;mood=calm[&amp;length=SECONDS]; throws <see cref="CompositionException"/> for one that is not.</summary>
    public static RadioStation Parse(string? style, string? mood, string? length, double defaultSeconds)
    {
        var parsed = Composition.Prompts.PromptParser.Parse(style ?? "lofi");
        if (!parsed.NamesStyle)
        {
            throw new CompositionException($"'{style}' is not a style; use one of {string.Join(", ", Enum.GetValues<Style>().Select(StyleProfile.Name))}.");
        }

        var chosenMood = Mood.Calm;
        if (mood is { Length: > 0 } && (!Enum.TryParse(mood, ignoreCase: true, out chosenMood) || !Enum.IsDefined(chosenMood)))
        {
            throw new CompositionException($"'{mood}' is not a mood; use one of {string.Join(", ", Enum.GetNames<Mood>().Select(n => n.ToLowerInvariant()))}.");
        }

        var seconds = defaultSeconds;
        if (length is { Length: > 0 } && (!double.TryParse(length, NumberStyles.Float, CultureInfo.InvariantCulture, out seconds) || seconds is < 5 or > 600))
        {
            throw new CompositionException($"length '{length}' is not 5-600 seconds.");
        }

        return new RadioStation(parsed.Request.Style, chosenMood, Math.Round(seconds, 1));
    }
}

/// <summary>What a station's page plays next: a finished track, or word that it is still being made.</summary>
public sealed record RadioTrack(string RequestId, string? ReceiptId, string? Title, string? Audio, double? DurationS, bool Ready, string State, int Ahead, double CrossfadeSeconds);

/// <summary>A station at a glance: what played last, and how many tracks are made or being made after it.</summary>
public sealed record RadioStatus(string Station, string Name, RadioPlay? NowPlaying, int Ahead, int ReadyAhead);

/// <summary>One line of the play log: when a track started playing on a station, and its receipt.</summary>
public sealed record RadioPlay(string StartedUtc, string Station, string RequestId, string ReceiptId, string Title, double DurationS);

/// <summary>The page's report that a track started.</summary>
public sealed record RadioPlayed(string RequestId);
