using ComposerBot.Music;
using ComposerBot.Music.LeadSheets;

namespace ComposerBot.Corpus;

/// <summary>Parses the corpus's metadata CSV rows and their key, meter and track columns.</summary>
public static class CorpusMetadata
{
    private static readonly Dictionary<char, int> Letters = new() { ['C'] = 0, ['D'] = 2, ['E'] = 4, ['F'] = 5, ['G'] = 7, ['A'] = 9, ['B'] = 11 };

    /// <summary>Splits one CSV line (RFC 4180 quoting) into fields.</summary>
    public static List<string> SplitCsvLine(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }

    /// <summary>
    /// A key as ABC writes it: tonic, accidental, mode ("G", "F#m", "Bb", "Edor", "Glyd"). Modes with a
    /// minor third (m, min, dor, phr, aeo, loc) count as minor, the rest as major; empty is unknown.
    /// </summary>
    public static KeySignature? ParseKey(string text)
    {
        text = text.Trim();
        if (text.Length == 0 || !Letters.TryGetValue(char.ToUpperInvariant(text[0]), out var tonic))
        {
            return null;
        }

        var rest = text[1..];
        if (rest.StartsWith('#'))
        {
            tonic++;
            rest = rest[1..];
        }
        else if (rest.StartsWith('b'))
        {
            tonic--;
            rest = rest[1..];
        }

        var mode = rest.ToLowerInvariant() switch
        {
            "" or "maj" or "major" or "ion" or "mix" or "lyd" => KeyMode.Major,
            "m" or "min" or "minor" or "dor" or "phr" or "aeo" or "loc" => KeyMode.Minor,
            _ => (KeyMode?)null,
        };
        return mode is { } m ? KeySignature.FromTonic((tonic + 12) % 12, m) : null;
    }

    /// <summary>A meter: "6/8", or "C" (4/4) and "C|" (2/2); empty or odd values are unknown.</summary>
    public static MeterChange? ParseMeter(string text)
    {
        text = text.Trim();
        if (text == "C")
        {
            return new MeterChange(0, 4, 4);
        }

        if (text == "C|")
        {
            return new MeterChange(0, 2, 2);
        }

        var parts = text.Split('/');
        return parts.Length == 2 && int.TryParse(parts[0], out var n) && int.TryParse(parts[1], out var d) && n > 0 && d > 0 && (d & (d - 1)) == 0
            ? new MeterChange(0, n, d)
            : null;
    }

    /// <summary>The track the melody is on: the one named melody or soprano in the tracks column.</summary>
    public static int? MelodyTrack(string tracks)
    {
        var names = tracks.Split(',', StringSplitOptions.TrimEntries);
        var index = Array.FindIndex(names, n => n.Equals("melody", StringComparison.OrdinalIgnoreCase) || n.Equals("soprano", StringComparison.OrdinalIgnoreCase));
        return index >= 0 ? index : null;
    }

    public static PieceHints Hints(string key, string meter, string tracks) =>
        new() { Key = ParseKey(key), Meter = ParseMeter(meter), MelodyTrack = MelodyTrack(tracks) };
}
