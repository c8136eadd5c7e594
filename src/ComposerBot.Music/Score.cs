namespace ComposerBot.Music;

/// <summary>
/// An immutable piece of music: tracks of notes on a tick grid, the tempo map that turns ticks into
/// seconds, meter changes (always one at tick 0) and an optional key signature.
/// </summary>
public sealed record Score
{
    public Score(TempoMap tempoMap, IEnumerable<Track> tracks, IEnumerable<MeterChange>? meters = null, KeySignature? key = null)
    {
        TempoMap = tempoMap;
        Tracks = tracks.ToValueList();
        var sortedMeters = (meters ?? []).GroupBy(m => m.Tick).Select(g => g.Last()).OrderBy(m => m.Tick).ToList();
        if (sortedMeters.Count == 0 || sortedMeters[0].Tick != 0)
        {
            sortedMeters.Insert(0, new MeterChange(0, 4, 4));
        }

        Meters = sortedMeters.ToValueList();
        Key = key;
    }

    public TempoMap TempoMap { get; init; }

    public ValueList<Track> Tracks { get; init; }

    public ValueList<MeterChange> Meters { get; init; }

    public KeySignature? Key { get; init; }

    /// <summary>The system exclusive messages of a MIDI file (resets, master and scale tuning), in time order.</summary>
    public ValueList<SystemExclusive> SystemExclusives { get; init; } = ValueList.Of<SystemExclusive>();

    public int TicksPerQuarter => TempoMap.TicksPerQuarter;

    public int NoteCount => Tracks.Sum(t => t.Notes.Count);

    /// <summary>
    /// Where the piece ends by its own declaration (a MIDI file's End of Track), which may be after its last
    /// note: a file that holds silence at its end. 0 when only the notes say where it ends.
    /// </summary>
    public long LengthTick { get; init; }

    /// <summary>The tick at which the last note ends, or the declared end when that is later (0 for an empty score).</summary>
    public long EndTick => Math.Max(LengthTick, Tracks.SelectMany(t => t.Notes).Select(n => n.End).DefaultIfEmpty(0).Max());

    /// <summary>Seconds from the start to the end (<see cref="EndTick"/>).</summary>
    public double DurationSeconds => TempoMap.ToSeconds(EndTick);

    public MeterChange InitialMeter => Meters[0];
}
