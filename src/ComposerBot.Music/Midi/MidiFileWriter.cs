using ComposerBot.Music.IO;
using NAudio.Midi;

namespace ComposerBot.Music.Midi;

/// <summary>
/// Writes a <see cref="Score"/> as a format 1 Standard MIDI File: a conductor track with tempo, meter and
/// key, then one track per score track with its program, its controls (<see cref="Track.Controls"/>: the
/// mix's volume, pan and sends, bank selects, pedals, the wheel) and its notes. Reading the result back gives
/// the same score, less the SysEx messages of a file read from elsewhere, which are played but not written.
/// </summary>
public static class MidiFileWriter
{
    /// <summary>Writes the file to any stream, seekable or not (a zip entry, a network stream).</summary>
    public static void Write(Score score, Stream output) => output.Write(ToBytes(score));

    /// <param name="text">A text event at the start of the conductor track (a receipt id, say).</param>
    public static byte[] ToBytes(Score score, string? text = null)
    {
        var collection = new MidiEventCollection(1, score.TicksPerQuarter);
        var conductor = ConductorEvents(score);
        if (text is not null)
        {
            conductor.Insert(0, new TextEvent(text, MetaEventType.TextEvent, 0));
        }

        collection.AddTrack(conductor);
        foreach (var track in score.Tracks)
        {
            collection.AddTrack(TrackEvents(track));
        }

        collection.PrepareForExport();

        // NAudio patches chunk sizes after each track, so it needs a seekable stream.
        using var stream = new MemoryStream();
        MidiFile.Export(stream, collection);
        return stream.ToArray();
    }

    /// <summary>Writes the file through a temporary file beside it, so no half-written file is ever left.</summary>
    public static void Write(Score score, string path, string? text = null)
    {
        var bytes = ToBytes(score, text);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    private static List<MidiEvent> ConductorEvents(Score score)
    {
        var events = new List<MidiEvent>();
        foreach (var meter in score.Meters)
        {
            events.Add(new TimeSignatureEvent(meter.Tick, meter.Numerator, System.Numerics.BitOperations.Log2((uint)meter.Denominator), 24, 8));
        }

        if (score.Key is { } key)
        {
            events.Add(new KeySignatureEvent(key.Sharps, (int)key.Mode, 0));
        }

        foreach (var tempo in score.TempoMap.Changes)
        {
            events.Add(new TempoEvent(tempo.MicrosecondsPerQuarter, tempo.Tick));
        }

        // End of Track is the last event of a track: at the score's end, or at a later tempo or meter change.
        events.Add(new MetaEvent(MetaEventType.EndTrack, 0, Math.Max(score.EndTick, events.Max(e => e.AbsoluteTime))));
        return [.. events.OrderBy(e => e.AbsoluteTime)];
    }

    private static List<MidiEvent> TrackEvents(Track track)
    {
        var channel = track.Channel + 1;
        var events = new List<MidiEvent>();
        if (track.Name.Length > 0)
        {
            events.Add(new TextEvent(track.Name, MetaEventType.SequenceTrackName, 0));
        }

        events.Add(new PatchChangeEvent(0, channel, track.Program));

        // At one tick, note-offs go before note-ons so a repeated pitch is not cut; note-ons keep the
        // canonical note order so that first-in, first-out pairing on reading restores every note.
        // Controls sit between them, in their own order: a bank select and program change, a volume or a
        // pedal at a note's tick apply to that note, as the synthesizer plays them.
        var noteEvents = track.Notes
            .SelectMany((n, i) => new[]
            {
                (Tick: n.End, Order: 0, Index: i, Event: (MidiEvent)new NoteEvent(n.End, channel, MidiCommandCode.NoteOff, n.Pitch, 0)),
                (Tick: n.Start, Order: 2, Index: i, Event: new NoteEvent(n.Start, channel, MidiCommandCode.NoteOn, n.Pitch, n.Velocity)),
            })
            .Concat(track.Controls.Select((c, i) => (c.Tick, Order: 1, Index: i, Event: ControlEvent(c, channel))))
            .OrderBy(e => e.Tick).ThenBy(e => e.Order).ThenBy(e => e.Index);
        foreach (var e in noteEvents)
        {
            events.Add(e.Event);
        }

        events.Add(new MetaEvent(MetaEventType.EndTrack, 0, track.Notes.Select(n => n.End).Concat(track.Controls.Select(c => c.Tick)).DefaultIfEmpty(0).Max()));
        return events;
    }

    private static MidiEvent ControlEvent(ChannelControl control, int channel) => control.Kind switch
    {
        ChannelControlKind.Program => new PatchChangeEvent(control.Tick, channel, control.Value),
        ChannelControlKind.PitchBend => new PitchWheelChangeEvent(control.Tick, channel, control.Value),
        ChannelControlKind.ChannelPressure => new ChannelAfterTouchEvent(control.Tick, channel, control.Value),
        _ => new ControlChangeEvent(control.Tick, channel, (MidiController)control.Number, control.Value),
    };
}
