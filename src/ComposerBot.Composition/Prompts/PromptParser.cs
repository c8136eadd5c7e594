using System.Globalization;
using System.Text.RegularExpressions;
using ComposerBot.Composition.Requests;
using ComposerBot.Music;

namespace ComposerBot.Composition.Prompts;

/// <summary>
/// Reads free English into a <see cref="CompositionRequest"/>: styles and moods by their synonyms,
/// lengths ("45 s", "1.5 min", "1:30", "16 bars"), tempos ("160 bpm"), keys ("D minor", "F#m", "in A"),
/// meters ("3/4", "waltz", "jig") and flags ("loop", "stinger", "no drums", "stems"). Unknown words are
/// ignored and reported.
/// </summary>
public static partial class PromptParser
{
    public static ParsedPrompt Parse(string prompt, int seed = 1)
    {
        var text = " " + Normalize(prompt) + " ";
        var understood = new List<string>();
        var request = new CompositionRequest { Seed = seed };
        Style? style = null;
        Mood? mood = null;

        // Decades are styles, not seconds; "a minor key" is a mode, not A minor.
        if (Contains(text, "80s"))
        {
            style = Style.Synthwave;
            understood.Add("80s");
            text = Remove(text, "80s");
        }

        text = text.Replace(" a minor key ", " minor ", StringComparison.Ordinal).Replace(" a major key ", " major ", StringComparison.Ordinal);

        // Numbers with units first, so "8 bit" or "16 bars" are not read as anything else.
        text = Take(text, TempoPattern(), understood, m => request = request with { Tempo = Number(m.Groups["n"].Value) });
        text = Take(text, ClockPattern(), understood, m => request = request with { LengthSeconds = (int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture) * 60) + int.Parse(m.Groups["s"].Value, CultureInfo.InvariantCulture), LengthBars = null });
        text = Take(text, MinutesPattern(), understood, m => request = request with { LengthSeconds = (Number(m.Groups["n"].Value) * 60) + (m.Groups["s"].Success ? Number(m.Groups["s"].Value) : 0), LengthBars = null });
        text = Take(text, SecondsPattern(), understood, m => request = request with { LengthSeconds = Number(m.Groups["n"].Value), LengthBars = null });
        text = Take(text, BarsPattern(), understood, m => request = request with { LengthBars = (int)Number(m.Groups["n"].Value), LengthSeconds = null });
        text = Take(text, MeterPattern(), understood, m => request = request with { Meter = new MeterChange(0, int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture)) });
        text = Take(text, KeyPattern(), understood, m => request = request with { Key = ParseKey(m.Groups["t"].Value, m.Groups["a"].Value, m.Groups["q"].Value) });

        // Flags.
        text = Take(text, NoDrumsPattern(), understood, _ => request = request with { Drums = false });
        text = Take(text, LoopPattern(), understood, _ => request = request with { Loop = true });
        text = Take(text, StingerPattern(), understood, _ => request = request with { Stinger = true });
        text = Take(text, StemsPattern(), understood, _ => request = request with { Stems = true });
        text = Take(text, ModePattern(), understood, m => request = request with { Mode = m.Value.Trim() == "major" ? KeyMode.Major : KeyMode.Minor });

        // Dance forms set the meter (and the folk style) unless the prompt gave one.
        foreach (var (phrase, numerator, denominator) in new[] { ("slip jig", 9, 8), ("waltz", 3, 4), ("jig", 6, 8), ("reel", 4, 4), ("march", 2, 4), ("polka", 2, 4), ("hornpipe", 4, 4) })
        {
            if (Contains(text, phrase))
            {
                request = request with { Meter = request.Meter ?? new MeterChange(0, numerator, denominator), Feel = request.Feel ?? phrase };
                understood.Add(phrase);
            }
        }

        foreach (var phrase in new[] { "chorale", "hymn" })
        {
            if (Contains(text, phrase))
            {
                request = request with { Feel = request.Feel ?? "chorale" };
                understood.Add(phrase);
                text = Remove(text, phrase);
            }
        }

        if (Earliest(ref text, PromptVocabulary.Styles, understood) is { } named)
        {
            style ??= named;
        }

        mood = Earliest(ref text, PromptVocabulary.Moods, understood);

        if (Contains(text, "slow"))
        {
            understood.Add("slow");
            text = Remove(text, "slow");
            mood ??= Mood.Calm;
        }

        if (Contains(text, "fast"))
        {
            understood.Add("fast");
            text = Remove(text, "fast");
            mood ??= Mood.Tense;
        }

        var finalMood = mood ?? Mood.Neutral;
        request = request with { Style = style ?? PromptVocabulary.StyleForMood(finalMood), Mood = finalMood };

        // Ten seconds or less is too short for a form: it is a stinger.
        if (!request.Loop && !request.Stinger && request.LengthSeconds <= CompositionRequest.MaxStingerSeconds)
        {
            request = request with { Stinger = true };
        }
        var ignored = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !StopWords.Contains(w)).ToList();
        return new ParsedPrompt(prompt, request, understood, ignored) { NamesStyle = style is not null };
    }

    /// <summary>A key given on its own ("D minor", "F#m", "Bb"); throws when it is not one.</summary>
    public static KeySignature ParseKeyOption(string text)
    {
        var match = KeyPattern().Match(" in " + Normalize(text) + " ");
        return match.Success && match.Length >= Normalize(text).Length + 3
            ? ParseKey(match.Groups["t"].Value, match.Groups["a"].Value, match.Groups["q"].Value)
            : throw new CompositionException($"'{text}' is not a key; write it like 'D minor', 'F#m' or 'Bb major'.");
    }

    /// <summary>A length given on its own ("45s", "2 min", "1:30", "16 bars"); throws when it is not one.</summary>
    public static (double? Seconds, int? Bars) ParseLengthOption(string text)
    {
        var request = Parse(text).Request;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain))
        {
            return (plain, null);
        }

        return request.LengthSeconds is not null || request.LengthBars is not null
            ? (request.LengthSeconds, request.LengthBars)
            : throw new CompositionException($"'{text}' is not a length; write it like '45s', '2 min', '1:30' or '16 bars'.");
    }

    /// <summary>A meter given on its own ("3/4", "6/8"); throws when it is not one.</summary>
    public static MeterChange ParseMeterOption(string text) =>
        Parse(text).Request.Meter is { } meter && text.Contains('/', StringComparison.Ordinal)
            ? meter
            : throw new CompositionException($"'{text}' is not a meter; write it like '4/4', '3/4' or '6/8'.");

    private static readonly HashSet<string> StopWords =
    [
        "a", "an", "the", "in", "at", "of", "for", "with", "and", "some", "me", "track", "song", "music", "tune", "piece", "please", "make", "beat", "beats", "long", "key",
        "vibe", "vibes", "bgm", "ost", "soundtrack", "theme", "background", "like", "kind", "sort", "something", "bit", "very", "really", "little", "to", "on", "while",
    ];

    private static string Normalize(string prompt) =>
        SpacePattern().Replace(SentenceEndPattern().Replace(prompt.ToLowerInvariant(), " ").Replace('\u2013', '-').Replace('\u266D', 'b').Replace('\u266F', '#').Replace(",", " ", StringComparison.Ordinal).Replace("!", " ", StringComparison.Ordinal).Replace("\"", " ", StringComparison.Ordinal), " ").Trim();

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static bool Contains(string text, string phrase) => text.Contains(" " + phrase + " ", StringComparison.Ordinal);

    private static string Remove(string text, string phrase) => text.Replace(" " + phrase + " ", "  ", StringComparison.Ordinal);

    /// <summary>
    /// The value of the phrase said first (the longer one where two start at one place); every phrase of the
    /// vocabulary found is understood and taken out of the text, none counted twice inside a longer one.
    /// </summary>
    private static T? Earliest<T>(ref string text, (string Phrase, T Value)[] vocabulary, List<string> understood)
        where T : struct
    {
        var said = text;
        var found = vocabulary
            .Select(v => (v.Phrase, v.Value, At: said.IndexOf(" " + v.Phrase + " ", StringComparison.Ordinal)))
            .Where(v => v.At >= 0)
            .OrderBy(v => v.At).ThenByDescending(v => v.Phrase.Length)
            .ToList();
        var taken = new List<(int Start, int End)>();
        T? first = null;
        foreach (var (phrase, value, at) in found)
        {
            var span = (Start: at + 1, End: at + 1 + phrase.Length);
            if (taken.Any(t => span.Start < t.End && t.Start < span.End))
            {
                continue;
            }

            taken.Add(span);
            first ??= (T?)value;
            understood.Add(phrase);
        }

        foreach (var (start, end) in taken.OrderByDescending(t => t.Start))
        {
            text = string.Concat(text.AsSpan(0, start), new string(' ', end - start), text.AsSpan(end));
        }

        return first;
    }

    private static string Take(string text, Regex pattern, List<string> understood, Action<Match> apply)
    {
        foreach (Match match in pattern.Matches(text))
        {
            apply(match);
            understood.Add(match.Value.Trim());
        }

        return pattern.Replace(text, "  ");
    }

    private static KeySignature ParseKey(string tonic, string accidental, string quality)
    {
        var pc = "c d ef g a b".IndexOf(tonic[0], StringComparison.Ordinal);
        accidental = accidental.Trim(' ', '-');
        pc += accidental switch { "#" or "sharp" => 1, "b" or "flat" => -1, _ => 0 };
        var mode = quality.Trim() is "m" or "min" or "minor" ? KeyMode.Minor : KeyMode.Major;
        var spelling = accidental switch { "#" or "sharp" => Accidentals.Sharps, "b" or "flat" => Accidentals.Flats, _ => Accidentals.Fewest };
        return KeySignature.FromTonic((pc + 12) % 12, mode, spelling);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex SpacePattern();

    /// <summary>Sentence punctuation, but not a decimal point ("2.5 min").</summary>
    [GeneratedRegex(@"[.?;:!)(]+(?=\s|$)|(?<=\s|^)[(]+")]
    private static partial Regex SentenceEndPattern();

    [GeneratedRegex(@"(?<= )(?:at )?(?<n>\d+(?:\.\d+)?) ?bpm(?= )")]
    private static partial Regex TempoPattern();

    [GeneratedRegex(@"(?<= )(?<m>\d{1,2}):(?<s>[0-5]\d)(?= )")]
    private static partial Regex ClockPattern();

    [GeneratedRegex(@"(?<= )(?<n>\d+(?:\.\d+)?) ?(?:min|mins|minute|minutes|m)(?: (?<s>\d+) ?(?:s|sec|secs|second|seconds)?)?(?= )")]
    private static partial Regex MinutesPattern();

    [GeneratedRegex(@"(?<= )(?<n>\d+(?:\.\d+)?) ?(?:s|sec|secs|second|seconds)(?= )")]
    private static partial Regex SecondsPattern();

    [GeneratedRegex(@"(?<= )(?<n>\d+) ?(?:bar|bars|measure|measures)(?= )")]
    private static partial Regex BarsPattern();

    [GeneratedRegex(@"(?<= )(?:in )?(?<n>\d{1,2})/(?<d>2|4|8)(?: time)?(?= )")]
    private static partial Regex MeterPattern();

    [GeneratedRegex(@"(?<= )(?:(?:in|key of|in the key of) (?<t>[a-g])(?<a>#|b|[ -]?sharp|[ -]?flat)?(?: ?(?<q>major|minor|maj|min|m))?|(?<t>[a-g])(?<a>#|b|[ -]?sharp|[ -]?flat)?(?: ?(?<q>major|minor|maj|min)| ?(?<q>m)(?= )))(?= )")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"(?<= )(?:no drums|without drums|drumless|no percussion)(?= )")]
    private static partial Regex NoDrumsPattern();

    [GeneratedRegex(@"(?<= )(?:seamless loop|seamless|looping|loopable|loop)(?= )")]
    private static partial Regex LoopPattern();

    [GeneratedRegex(@"(?<= )(?:stinger|sting|jingle|transition)(?= )")]
    private static partial Regex StingerPattern();

    [GeneratedRegex(@"(?<= )(?:stems|with stems)(?= )")]
    private static partial Regex StemsPattern();

    [GeneratedRegex(@"(?<= )(?:major|minor)(?= )")]
    private static partial Regex ModePattern();
}
