using System.Globalization;
using System.IO.Compression;
using System.Text;
using ComposerBot.Music.LeadSheets;

namespace ComposerBot.Music.Forms;

/// <summary>
/// The bar-by-bar forms of the training tunes (<see cref="MelodyStructure.FormOf(LeadSheet)"/>), with each
/// tune's feel, meter and length: what the neural composer follows so that its melodies repeat, vary and
/// answer their phrases as the corpus's tunes do. Holds no notes, only which bar restates which.
/// </summary>
public sealed class FormLibrary
{
    public const string FileName = "forms.tsv.gz";

    private readonly IReadOnlyList<Entry> _entries;

    private FormLibrary(IReadOnlyList<Entry> entries) => _entries = entries;

    /// <summary>One tune's form and what it was written for.</summary>
    public sealed record Entry(string Feel, int Numerator, int Denominator, BarForm Form);

    public int Count => _entries.Count;

    public IReadOnlyList<Entry> Entries => _entries;

    public static FormLibrary Build(IEnumerable<(string Feel, LeadSheet Sheet)> tunes) =>
        new([.. tunes.Where(t => t.Sheet.Bars > 0).Select(t => new Entry(t.Feel, t.Sheet.Meter.Numerator, t.Sheet.Meter.Denominator, MelodyStructure.FormOf(t.Sheet)))]);

    /// <summary>
    /// A form for a tune of this meter, length and feel, chosen by the seed among the closest: the same
    /// meter and length (of the same feel when there are any), else the same meter and longer (cut), else
    /// any meter and longer, else the longest (repeated).
    /// </summary>
    public BarForm Pick(int numerator, int denominator, int bars, string? feel, int seed)
    {
        if (_entries.Count == 0)
        {
            return BarForm.Free(bars);
        }

        bool SameMeter(Entry e) => e.Numerator == numerator && e.Denominator == denominator;
        IEnumerable<Func<Entry, bool>> levels =
        [
            e => SameMeter(e) && e.Form.Bars == bars,
            e => SameMeter(e) && e.Form.Bars > bars,
            e => e.Form.Bars >= bars,
        ];
        var random = new Random(unchecked((seed * 31) + 7));
        foreach (var level in levels)
        {
            var candidates = _entries.Where(level).ToList();
            if (candidates.Count == 0)
            {
                continue;
            }

            var ofFeel = candidates.Where(e => e.Feel == feel).ToList();
            var pool = ofFeel.Count > 0 ? ofFeel : candidates;
            return pool[random.Next(pool.Count)].Form.FitTo(bars);
        }

        var longest = _entries.Max(e => e.Form.Bars);
        var longestForms = _entries.Where(e => e.Form.Bars == longest).ToList();
        return longestForms[random.Next(longestForms.Count)].Form.FitTo(bars);
    }

    /// <summary>One line per tune: feel, meter, then per bar its source (or -), relation letter and shift.</summary>
    public void Save(Stream stream)
    {
        using var gzip = new GZipStream(stream, CompressionLevel.SmallestSize, leaveOpen: true);
        using var writer = new StreamWriter(gzip, new UTF8Encoding(false));
        writer.WriteLine("# ComposerBot forms v1: feel, meter, then per bar source:relation:shift (- for a new bar)");
        foreach (var e in _entries)
        {
            var bars = Enumerable.Range(0, e.Form.Bars).Select(b => e.Form.Sources[b] < 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{e.Form.Sources[b]}:{Letter(e.Form.Relations[b])}:{e.Form.Shifts[b]}"));
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{e.Feel}\t{e.Numerator}/{e.Denominator}\t{string.Join(' ', bars)}"));
        }
    }

    public static FormLibrary Load(Stream stream)
    {
        using var gzip = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        var entries = new List<Entry>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            try
            {
                var fields = line.Split('\t');
                var meter = fields[1].Split('/');
                var bars = fields[2].Split(' ');
                var sources = new int[bars.Length];
                var relations = new BarRelation[bars.Length];
                var shifts = new int[bars.Length];
                for (var b = 0; b < bars.Length; b++)
                {
                    if (bars[b] == "-")
                    {
                        sources[b] = -1;
                        continue;
                    }

                    var parts = bars[b].Split(':');
                    sources[b] = int.Parse(parts[0], CultureInfo.InvariantCulture);
                    relations[b] = FromLetter(parts[1]);
                    shifts[b] = int.Parse(parts[2], CultureInfo.InvariantCulture);
                    if (sources[b] >= b || sources[b] < 0)
                    {
                        throw new FormatException($"bar {b} restates bar {sources[b]}, which does not come before it");
                    }
                }

                entries.Add(new Entry(fields[0], int.Parse(meter[0], CultureInfo.InvariantCulture), int.Parse(meter[1], CultureInfo.InvariantCulture),
                    new BarForm(sources.ToValueList(), relations.ToValueList(), shifts.ToValueList())));
            }
            catch (Exception e) when (e is FormatException or IndexOutOfRangeException or OverflowException)
            {
                throw new InvalidDataException($"the forms file is damaged at line {lineNumber}: {e.Message}", e);
            }
        }

        return new FormLibrary(entries);
    }

    private static string Letter(BarRelation relation) => relation switch
    {
        BarRelation.Exact => "e",
        BarRelation.Transposed => "t",
        BarRelation.Variation => "v",
        _ => throw new ArgumentOutOfRangeException(nameof(relation)),
    };

    private static BarRelation FromLetter(string letter) => letter switch
    {
        "e" => BarRelation.Exact,
        "t" => BarRelation.Transposed,
        "v" => BarRelation.Variation,
        _ => throw new FormatException($"unknown relation '{letter}'"),
    };
}
