namespace ComposerBot.Music.Midi;

/// <summary>
/// Reads Standard MIDI Files into a <see cref="Score"/>, as the files' own texts (the public test files in
/// shared/midi-test-files) say a player must: each channel used in a MIDI track becomes a score track; a
/// note-on with velocity 0 is a note-off; overlapping notes of one pitch pair first-in, first-out; notes
/// still sounding at the end of their track end there; a note whose on and off fall on the same tick is
/// kept as the shortest audible note (a 64th); the End of Track sets where the piece ends. Formats: 0 and 1
/// play every track at once (a format 0 file with several tracks, which the specification forbids, is
/// read as format 1); format 2 holds independent sequences, played one after another. Unknown chunks are
/// skipped (<see cref="SmfParser"/>).
/// </summary>
public static class MidiFileReader
{
    public static Score Read(string path, MidiReadLimits? limits = null)
    {
        limits ??= MidiReadLimits.Default;
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"MIDI file not found: {path}", path);
        }

        if (info.Length > limits.MaxBytes)
        {
            throw new MidiFormatException($"MIDI file is {info.Length:N0} bytes, over the {limits.MaxBytes:N0}-byte limit.");
        }

        return Read(File.ReadAllBytes(path), limits);
    }

    public static Score Read(ReadOnlyMemory<byte> data, MidiReadLimits? limits = null)
    {
        limits ??= MidiReadLimits.Default;
        if (data.Length > limits.MaxBytes)
        {
            throw new MidiFormatException($"MIDI data is {data.Length:N0} bytes, over the {limits.MaxBytes:N0}-byte limit.");
        }

        return Convert(SmfParser.Parse(data.Span, limits), limits);
    }

    private static Score Convert(SmfParser.SmfFile file, MidiReadLimits limits)
    {
        var ppq = file.TicksPerQuarter;
        var shortest = Math.Max(1, ppq / 16);
        var tempos = new List<TempoChange>();
        var meters = new List<MeterChange>();
        KeySignature? key = null;
        var tracks = new List<Track>();
        var noteCount = 0;
        long offset = 0;
        long end = 0;

        foreach (var track in file.Tracks)
        {
            var name = "";
            var programs = new int[16];
            var parts = new SortedDictionary<int, PartBuilder>();
            foreach (var e in track.Events)
            {
                var tick = offset + e.Tick;
                switch (e)
                {
                    case { IsMeta: true, MetaType: 0x51, Meta.Length: 3 }:
                        tempos.Add(CheckTempo(tick, (e.Meta[0] << 16) | (e.Meta[1] << 8) | e.Meta[2], limits));
                        break;
                    case { IsMeta: true, MetaType: 0x58, Meta.Length: >= 2 } when e.Meta[0] > 0 && e.Meta[1] <= 6:
                        meters.Add(new MeterChange(tick, e.Meta[0], 1 << e.Meta[1]));
                        break;
                    case { IsMeta: true, MetaType: 0x59, Meta.Length: >= 2 } when key is null && (sbyte)e.Meta[0] is >= -7 and <= 7:
                        key = new KeySignature((sbyte)e.Meta[0], e.Meta[1] == 1 ? KeyMode.Minor : KeyMode.Major);
                        break;
                    case { IsMeta: true, MetaType: 0x03 } when name.Length == 0:
                        name = e.Text.Trim();
                        break;
                    case { IsMeta: false, Kind: 0xC0 }:
                        programs[e.Channel] = e.Data1;
                        break;
                    case { IsMeta: false, Kind: 0x90 or 0x80 }:
                        if (!parts.TryGetValue(e.Channel, out var part))
                        {
                            part = new PartBuilder(programs[e.Channel], shortest);
                            parts[e.Channel] = part;
                        }

                        if (e.Kind == 0x90 && e.Data2 > 0)
                        {
                            part.NoteOn(e.Data1, tick, e.Data2);
                            if (++noteCount > limits.MaxNotes)
                            {
                                throw new MidiFormatException($"MIDI file has more than {limits.MaxNotes:N0} notes.");
                            }
                        }
                        else
                        {
                            part.NoteOff(e.Data1, tick);
                        }

                        break;
                }
            }

            var trackEnd = offset + track.EndTick;
            foreach (var (channel, part) in parts)
            {
                var notes = part.Finish(trackEnd);
                if (notes.Count > 0)
                {
                    tracks.Add(new Track(name, part.Program, channel, channel == Track.DrumChannel, notes));
                }
            }

            end = Math.Max(end, trackEnd);
            if (file.Format == 2)
            {
                offset = trackEnd;
            }
        }

        // The declared end matters only where it is after the last note (silence the file asks for).
        var score = new Score(new TempoMap(ppq, tempos), tracks, meters, key);
        return end > score.EndTick ? score with { LengthTick = end } : score;
    }

    private static TempoChange CheckTempo(long tick, int microsecondsPerQuarter, MidiReadLimits limits)
    {
        if (microsecondsPerQuarter <= 0)
        {
            throw new MidiFormatException($"tempo at tick {tick} is 0 microseconds per quarter note (an infinite tempo).");
        }

        var change = new TempoChange(tick, microsecondsPerQuarter);
        if (change.Bpm > limits.MaxBpm)
        {
            throw new MidiFormatException($"tempo at tick {tick} is {change.Bpm:0.#} bpm, over the limit of {limits.MaxBpm:0} bpm.");
        }

        return change;
    }

    /// <summary>Pairs note-ons with note-offs for one channel of one MIDI track.</summary>
    private sealed class PartBuilder(int program, int shortest)
    {
        private readonly Dictionary<int, Queue<(long Start, int Velocity)>> _sounding = [];
        private readonly List<Note> _notes = [];

        public int Program { get; } = program;

        public void NoteOn(int pitch, long tick, int velocity)
        {
            if (!_sounding.TryGetValue(pitch, out var queue))
            {
                queue = new Queue<(long, int)>();
                _sounding[pitch] = queue;
            }

            queue.Enqueue((tick, velocity));
        }

        public void NoteOff(int pitch, long tick)
        {
            if (_sounding.TryGetValue(pitch, out var queue) && queue.TryDequeue(out var on))
            {
                Add(pitch, on.Start, tick, on.Velocity);
            }
        }

        public ValueList<Note> Finish(long trackEnd)
        {
            foreach (var (pitch, queue) in _sounding)
            {
                while (queue.TryDequeue(out var on))
                {
                    Add(pitch, on.Start, trackEnd, on.Velocity);
                }
            }

            return Track.Sort(_notes);
        }

        // A note that ends where it starts was meant to sound (a drum hit, a grace note): the shortest audible note.
        private void Add(int pitch, long start, long end, int velocity) =>
            _notes.Add(new Note(pitch, start, end > start ? end - start : shortest, velocity));
    }
}
