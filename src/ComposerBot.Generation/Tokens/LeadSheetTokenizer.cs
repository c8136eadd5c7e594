using ComposerBot.Music;
using ComposerBot.Music.LeadSheets;

namespace ComposerBot.Generation.Tokens;

/// <summary>
/// A REMI-like tokenizer for lead sheets. A sequence is a conditioning prefix (feel, meter, key, mode,
/// tempo bucket, length in bars, note density) then, bar by bar: Bar, an optional Section marker, and at
/// each position on a grid of 12 per quarter note (16ths and 8th triplets): Position, an optional Chord
/// (where a chord starts), and Pitch + Duration for a melody note. Lead sheets quantised to that grid,
/// with one velocity, round-trip exactly; the tempo is kept as a bucket.
/// </summary>
public sealed class LeadSheetTokenizer
{
    /// <summary>Grid steps per quarter note; one step is two lead-sheet ticks.</summary>
    public const int StepsPerQuarter = 12;
    public const int TicksPerStep = LeadSheet.Resolution / StepsPerQuarter;
    public const int MaxBars = 128;
    public const int MaxDurationSteps = 8 * StepsPerQuarter;
    public const int LowestPitch = 21;
    public const int HighestPitch = 108;
    public const int Velocity = 90;

    public static readonly string[] Feels = ["other", "jig", "reel", "hornpipe", "waltz", "chorale", "air", "march", "polka", "strathspey", "slip jig", "chiptune", "orchestral", "lofi", "rock", "ambient", "piano", "folk", "synthwave"];
    public static readonly (int Numerator, int Denominator)[] Meters = [(2, 4), (3, 4), (4, 4), (2, 2), (3, 2), (6, 8), (9, 8), (12, 8), (3, 8), (6, 4)];
    public static readonly string[] SectionNames = ["intro", "A", "B", "A'", "ending", "build", "hit"];
    public static readonly double[] TempoBucketEdges = [60, 76, 92, 108, 124, 140, 160, 184];
    public static readonly int[] DensityBucketEdges = [2, 4, 6, 9];

    private readonly Dictionary<Token, int> _ids = [];
    private readonly List<Token> _tokens = [];
    private readonly Dictionary<TokenKind, (int First, int Count)> _ranges;

    public LeadSheetTokenizer()
    {
        Add(TokenKind.Pad);
        Add(TokenKind.Begin);
        Add(TokenKind.End);
        AddRange(TokenKind.Feel, Feels.Length);
        AddRange(TokenKind.Meter, Meters.Length);
        AddRange(TokenKind.Key, 12);
        AddRange(TokenKind.Mode, 2);
        AddRange(TokenKind.Tempo, TempoBucketEdges.Length + 1);
        AddRange(TokenKind.Bars, MaxBars + 1, from: 1);
        AddRange(TokenKind.Density, DensityBucketEdges.Length + 1);
        AddRange(TokenKind.Section, SectionNames.Length);
        Add(TokenKind.Bar);
        AddRange(TokenKind.Position, MaxBarSteps);
        AddRange(TokenKind.Chord, 12 * Enum.GetValues<ChordQuality>().Length);
        AddRange(TokenKind.Pitch, HighestPitch + 1, from: LowestPitch);
        AddRange(TokenKind.Duration, MaxDurationSteps + 1, from: 1);
        _ranges = _tokens.Select((t, id) => (t.Kind, id)).GroupBy(t => t.Kind).ToDictionary(g => g.Key, g => (g.Min(t => t.id), g.Count()));
    }

    /// <summary>The longest bar of the supported meters, in grid steps (12/8 = 6 quarters).</summary>
    public static int MaxBarSteps => Meters.Max(m => m.Numerator * 4 * StepsPerQuarter / m.Denominator);

    public int VocabularySize => _tokens.Count;

    /// <summary>The feel token for a corpus tune type ("Jig" -> jig); "other" for types the vocabulary lacks.</summary>
    public static string FeelOf(string? tuneType) =>
        tuneType?.Trim().ToLowerInvariant() is { } type && Feels.Contains(type) ? type : "other";

    public int Id(Token token) => _ids.TryGetValue(token, out var id) ? id : throw new ArgumentException($"{token} is not in the vocabulary.", nameof(token));

    public Token this[int id] => _tokens[id];

    /// <summary>The ids of one kind: they are contiguous, from First for Count ids.</summary>
    public (int First, int Count) Range(TokenKind kind) => _ranges.TryGetValue(kind, out var range) ? range : (0, 0);

    /// <summary>
    /// Snaps a lead sheet to the token grid: onsets to the nearest step (a note that would land on the
    /// previous one is dropped), lengths to at least one step and at most <see cref="MaxDurationSteps"/>,
    /// pitches folded by octaves into range, chord changes to the nearest step, one velocity. What comes out
    /// round-trips exactly.
    /// </summary>
    public static LeadSheet Quantize(LeadSheet sheet)
    {
        long Snap(long tick) => (long)Math.Round((double)tick / TicksPerStep, MidpointRounding.AwayFromZero) * TicksPerStep;
        var end = sheet.EndTick;
        var melody = new List<Note>();
        foreach (var note in sheet.Melody.OrderBy(n => n.Start))
        {
            var start = Math.Min(Snap(note.Start), end - TicksPerStep);
            if (melody.Count > 0 && start <= melody[^1].Start)
            {
                continue;
            }

            if (melody.Count > 0 && melody[^1].End > start)
            {
                melody[^1] = melody[^1] with { Duration = start - melody[^1].Start };
            }

            var length = Math.Clamp(Snap(note.End) - start, TicksPerStep, Math.Min(MaxDurationSteps * TicksPerStep, end - start));
            var pitch = note.Pitch;
            while (pitch < LowestPitch)
            {
                pitch += 12;
            }

            while (pitch > HighestPitch)
            {
                pitch -= 12;
            }

            melody.Add(new Note(pitch, start, length, Velocity));
        }

        var chords = sheet.Chords.Select(c => c with { Start = Snap(c.Start) }).Where(c => c.Start < end).GroupBy(c => c.Start).Select(g => g.Last()).ToList();
        var spans = chords.Select((c, i) => c with { Duration = (i + 1 < chords.Count ? chords[i + 1].Start : end) - c.Start }).ToValueList();
        return sheet with { Melody = melody.ToValueList(), Chords = spans };
    }

    /// <summary>Whether the lead sheet can be tokenized exactly (grid, meter, range, lengths).</summary>
    public static string? Unsupported(LeadSheet sheet)
    {
        if (!Meters.Contains((sheet.Meter.Numerator, sheet.Meter.Denominator)))
        {
            return $"meter {sheet.Meter} is not in the vocabulary";
        }

        if (sheet.Bars is < 1 or > MaxBars)
        {
            return $"{sheet.Bars} bars is over {MaxBars}";
        }

        if (sheet.Melody.Any(n => n.Start % TicksPerStep != 0 || n.Duration % TicksPerStep != 0 || n.Duration / TicksPerStep is < 1 or > MaxDurationSteps || n.Pitch is < LowestPitch or > HighestPitch))
        {
            return "a melody note is off the grid, too long or out of range";
        }

        return sheet.Chords.Any(c => c.Start % TicksPerStep != 0) ? "a chord starts off the grid" : null;
    }

    public IReadOnlyList<int> Encode(LeadSheet sheet, Conditioning conditioning)
    {
        if (Unsupported(sheet) is { } reason)
        {
            throw new ArgumentException($"cannot tokenize this lead sheet: {reason}.", nameof(sheet));
        }

        var ids = new List<int>
        {
            Id(new(TokenKind.Begin)),
            Id(new(TokenKind.Feel, Math.Max(0, Array.IndexOf(Feels, conditioning.Feel)))),
            Id(new(TokenKind.Meter, Array.IndexOf(Meters, (sheet.Meter.Numerator, sheet.Meter.Denominator)))),
            Id(new(TokenKind.Key, sheet.Key.Tonic)),
            Id(new(TokenKind.Mode, (int)sheet.Key.Mode)),
            Id(new(TokenKind.Tempo, TempoBucket(conditioning.Bpm))),
            Id(new(TokenKind.Bars, sheet.Bars)),
            Id(new(TokenKind.Density, DensityBucket((double)sheet.Melody.Count / sheet.Bars))),
        };

        var barTicks = sheet.TicksPerBar;
        var chordStarts = sheet.Chords.GroupBy(c => c.Start).ToDictionary(g => g.Key, g => g.Last().Chord);
        var notes = sheet.Melody.GroupBy(n => n.Start).ToDictionary(g => g.Key, g => g.MaxBy(n => n.Pitch));
        for (var bar = 0; bar < sheet.Bars; bar++)
        {
            ids.Add(Id(new(TokenKind.Bar)));
            if (conditioning.Sections.TryGetValue(bar, out var section) && Array.IndexOf(SectionNames, section) is var s and >= 0)
            {
                ids.Add(Id(new(TokenKind.Section, s)));
            }

            for (var tick = bar * barTicks; tick < (bar + 1) * barTicks; tick += TicksPerStep)
            {
                var hasChord = chordStarts.TryGetValue(tick, out var chord);
                var hasNote = notes.TryGetValue(tick, out var note);
                if (!hasChord && !hasNote)
                {
                    continue;
                }

                ids.Add(Id(new(TokenKind.Position, (int)((tick - (bar * barTicks)) / TicksPerStep))));
                if (hasChord)
                {
                    ids.Add(Id(new(TokenKind.Chord, (chord.Root * 8) + (int)chord.Quality)));
                }

                if (hasNote)
                {
                    ids.Add(Id(new(TokenKind.Pitch, note.Pitch)));
                    ids.Add(Id(new(TokenKind.Duration, (int)(note.Duration / TicksPerStep))));
                }
            }
        }

        ids.Add(Id(new(TokenKind.End)));
        return ids;
    }

    /// <summary>The tokens of <paramref name="sheet"/> snapped to the grid (<see cref="Quantize"/>), or null when it still cannot be tokenized.</summary>
    public int[]? TryEncodeQuantized(LeadSheet sheet, Conditioning conditioning)
    {
        var quantized = Quantize(sheet);
        return Unsupported(quantized) is null ? [.. Encode(quantized, conditioning)] : null;
    }

    public (LeadSheet Sheet, Conditioning Conditioning) Decode(IEnumerable<int> ids)
    {
        var tokens = ids.Select(id => _tokens[id]).ToList();
        int Value(TokenKind kind) => tokens.First(t => t.Kind == kind).Value;
        var (numerator, denominator) = Meters[Value(TokenKind.Meter)];
        var meter = new MeterChange(0, numerator, denominator);
        var key = KeySignature.FromTonic(Value(TokenKind.Key), (KeyMode)Value(TokenKind.Mode));
        var bars = Value(TokenKind.Bars);
        var barTicks = meter.TicksPerBar(LeadSheet.Resolution);
        var melody = new List<Note>();
        var chordStarts = new List<(long Start, Chord Chord)>();
        var sections = new Dictionary<int, string>();
        var bar = -1;
        long position = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            switch (token.Kind)
            {
                case TokenKind.Bar:
                    bar++;
                    position = bar * barTicks;
                    break;
                case TokenKind.Section when bar >= 0:
                    sections[bar] = SectionNames[token.Value];
                    break;
                case TokenKind.Position:
                    position = (bar * barTicks) + (token.Value * TicksPerStep);
                    break;
                case TokenKind.Chord:
                    chordStarts.Add((position, new Chord(token.Value / 8, (ChordQuality)(token.Value % 8))));
                    break;
                case TokenKind.Pitch when i + 1 < tokens.Count && tokens[i + 1].Kind == TokenKind.Duration:
                    melody.Add(new Note(token.Value, position, tokens[i + 1].Value * TicksPerStep, Velocity));
                    i++;
                    break;
            }
        }

        var end = bars * barTicks;
        var chords = chordStarts.Select((c, i) => new ChordSpan(c.Start, (i + 1 < chordStarts.Count ? chordStarts[i + 1].Start : end) - c.Start, c.Chord)).ToValueList();
        var bpm = TempoBucketCentre(Value(TokenKind.Tempo));
        var sheet = new LeadSheet(meter, key, bpm, bars, Track.Sort(melody), chords);
        return (sheet, new Conditioning(Feels[Value(TokenKind.Feel)], bpm) { Sections = sections });
    }

    public static int TempoBucket(double bpm) => TempoBucketEdges.Count(edge => bpm >= edge);

    /// <summary>The tempo a bucket stands for: the middle of its range (the end buckets: 10 bpm beyond their edge).</summary>
    public static double TempoBucketCentre(int bucket) => bucket == 0
        ? TempoBucketEdges[0] - 10
        : bucket == TempoBucketEdges.Length ? TempoBucketEdges[^1] + 10 : (TempoBucketEdges[bucket - 1] + TempoBucketEdges[bucket]) / 2;

    public static int DensityBucket(double notesPerBar) => DensityBucketEdges.Count(edge => notesPerBar >= edge);

    private void Add(TokenKind kind, int value = 0)
    {
        var token = new Token(kind, value);
        _ids[token] = _tokens.Count;
        _tokens.Add(token);
    }

    private void AddRange(TokenKind kind, int count, int from = 0)
    {
        for (var v = from; v < count; v++)
        {
            Add(kind, v);
        }
    }
}
