namespace ComposerBot.Music.LeadSheets;

/// <summary>
/// A melody and its chords on a fixed grid of <see cref="Resolution"/> ticks per quarter note, with one
/// meter, one key, a tempo and a whole number of bars. What the composers write and the metrics judge.
/// </summary>
public sealed record LeadSheet(MeterChange Meter, KeySignature Key, double Bpm, int Bars, ValueList<Note> Melody, ValueList<ChordSpan> Chords)
{
    /// <summary>Ticks per quarter note: 24 holds 32nd notes and every triplet down to 16th triplets.</summary>
    public const int Resolution = 24;

    public long TicksPerBar => Meter.TicksPerBar(Resolution);

    public long EndTick => Bars * TicksPerBar;

    /// <summary>Chord slots: half a bar in duple meters (2/4, 4/4, 6/8), a whole bar otherwise.</summary>
    public static long ChordSlotTicks(MeterChange meter) =>
        meter.Numerator % 2 == 0 ? meter.TicksPerBar(Resolution) / 2 : meter.TicksPerBar(Resolution);

    /// <summary>
    /// This lead sheet with its first <paramref name="bars"/> bars taken from <paramref name="opening"/>
    /// (melody and chords, cut at the bar line): how a track continues a given melody. Both must share the
    /// meter; notes and chords that cross the cut are shortened to it.
    /// </summary>
    public LeadSheet WithOpening(LeadSheet opening, int bars)
    {
        if (opening.Meter.Numerator != Meter.Numerator || opening.Meter.Denominator != Meter.Denominator)
        {
            throw new ArgumentException($"an opening in {opening.Meter} cannot start a lead sheet in {Meter}.", nameof(opening));
        }

        var keep = Math.Clamp(bars, 0, Math.Min(Bars, opening.Bars));
        if (keep == 0)
        {
            return this;
        }

        var cut = keep * TicksPerBar;
        var head = opening.FirstBars(keep);
        var melody = head.Melody.Concat(Melody.Where(n => n.Start >= cut));
        var chords = head.Chords.Concat(Chords.Where(c => c.End > cut).Select(c => c.Start < cut ? new ChordSpan(cut, c.End - cut, c.Chord) : c));
        return this with { Melody = melody.ToValueList(), Chords = chords.ToValueList() };
    }

    /// <summary>The first <paramref name="bars"/> bars (notes and chords that cross the end are cut to it).</summary>
    public LeadSheet FirstBars(int bars)
    {
        var keep = Math.Clamp(bars, 1, Bars);
        var cut = keep * TicksPerBar;
        return this with
        {
            Bars = keep,
            Melody = Melody.Where(n => n.Start < cut).Select(n => n.End > cut ? n with { Duration = cut - n.Start } : n).ToValueList(),
            Chords = Chords.Where(c => c.Start < cut).Select(c => c.End > cut ? c with { Duration = cut - c.Start } : c).ToValueList(),
        };
    }

    /// <summary>The chord sounding at a tick, if any.</summary>
    public Chord? ChordAt(long tick)
    {
        foreach (var span in Chords)
        {
            if (tick >= span.Start && tick < span.End)
            {
                return span.Chord;
            }
        }

        return null;
    }

    /// <summary>A playable score: the melody, and the chords as block chords below it.</summary>
    public Score ToScore(int melodyProgram = 0, int chordProgram = 0)
    {
        var chordNotes = Chords.SelectMany(span => span.Chord.Voicing().Select(p => new Note(p, span.Start, span.Duration, 64)));
        return new Score(
            TempoMap.Constant(Resolution, Bpm),
            [
                new Track("Melody", melodyProgram, 0, false, Track.Sort(Melody)),
                new Track("Chords", chordProgram, 1, false, Track.Sort(chordNotes)),
            ],
            [Meter with { Tick = 0 }],
            Key);
    }
}
