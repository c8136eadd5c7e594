namespace ComposerBot.Music.Midi;

/// <summary>
/// Reads Standard MIDI Files into a <see cref="Score"/>, as the files' own texts (the public test files in
/// shared/midi-test-files) say a player must: each channel used in a MIDI track becomes a score track; a
/// note-on with velocity 0 is a note-off; overlapping notes of one pitch pair first-in, first-out; notes
/// still sounding at the end of their track end there; a note whose on and off fall on the same tick is
/// kept as the shortest audible note (a 64th); the End of Track sets where the piece ends. Formats: 0 and 1
/// play every track at once (a format 0 file with several tracks, which the specification forbids, is
/// read as format 1); format 2 holds independent sequences, played one after another. Unknown chunks are
/// skipped (<see cref="SmfParser"/>). What a file says to a channel between its notes (controllers, later
/// program and bank changes, the pitch wheel, pressure) goes with every part of that channel, in time order,
/// as a player merges tracks by channel; SysEx messages (joined from their F0 and F7 packets) go with the score.
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
        var controls = new ControlCollector(limits);
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
                    case { IsSysEx: true }:
                        controls.SysEx(tick, e.Status, e.Meta!);
                        break;
                    case { IsMeta: false, Kind: 0xC0 }:
                        programs[e.Channel] = e.Data1;
                        controls.Add(e.Channel, ChannelControl.Program(tick, e.Data1));
                        break;
                    case { IsMeta: false, Kind: 0xB0 }:
                        controls.Add(e.Channel, ChannelControl.Controller(tick, e.Data1, e.Data2));
                        break;
                    case { IsMeta: false, Kind: 0xE0 }:
                        controls.Add(e.Channel, ChannelControl.PitchBend(tick, e.Data1 | (e.Data2 << 7)));
                        break;
                    case { IsMeta: false, Kind: 0xD0 }:
                        controls.Add(e.Channel, new ChannelControl(tick, ChannelControlKind.ChannelPressure, 0, e.Data1));
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
        var channelControls = controls.ByChannel();
        var score = new Score(new TempoMap(ppq, tempos), tracks.Select(t => WithControls(t, channelControls[t.Channel])), meters, key)
        {
            SystemExclusives = controls.SystemExclusives(),
        };
        return end > score.EndTick ? score with { LengthTick = end } : score;
    }

    /// <summary>
    /// A part with its channel's controls. Its program is the channel's at its first note, whichever track
    /// set it; program changes up to there are in <see cref="Track.Program"/> and not repeated, unless a
    /// bank select came before them (the player needs the change to take up the bank).
    /// </summary>
    private static Track WithControls(Track track, ValueList<ChannelControl> controls)
    {
        var start = track.Notes[0].Start;
        var program = controls.LastOrDefault(c => c.Kind == ChannelControlKind.Program && c.Tick <= start, ChannelControl.Program(0, track.Program)).Value;
        var bankSelected = false;
        var kept = new List<ChannelControl>(controls.Count);
        foreach (var control in controls)
        {
            bankSelected |= control is { Kind: ChannelControlKind.Controller, Number: 0 or 32 };
            if (control.Kind != ChannelControlKind.Program || control.Tick > start || bankSelected)
            {
                kept.Add(control);
            }
        }

        return track with { Program = program, Controls = kept.ToValueList() };
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

    /// <summary>
    /// Gathers channel controls by channel (in file order within a tick, sorted by tick across tracks) and
    /// joins SysEx packets: an F0 packet not ending in F7 is continued by F7 packets until one does; an F7
    /// packet with nothing to continue is an escape (arbitrary bytes for a device) and is not a message.
    /// </summary>
    private sealed class ControlCollector(MidiReadLimits limits)
    {
        private readonly List<ChannelControl>[] _byChannel = [.. Enumerable.Range(0, 16).Select(_ => new List<ChannelControl>())];
        private readonly List<SystemExclusive> _sysEx = [];
        private List<byte>? _open;
        private long _openTick;
        private int _count;

        public void Add(int channel, ChannelControl control)
        {
            Count();
            _byChannel[channel].Add(control);
        }

        public void SysEx(long tick, byte status, byte[] packet)
        {
            if (status == 0xF0)
            {
                _open = [];
                _openTick = tick;
            }
            else if (_open is null)
            {
                return;
            }

            _open.AddRange(packet);
            if (packet.Length > 0 && packet[^1] == 0xF7)
            {
                Count();
                _sysEx.Add(new SystemExclusive(_openTick, _open.Take(_open.Count - 1).ToValueList()));
                _open = null;
            }
        }

        public ValueList<ChannelControl>[] ByChannel() =>
            [.. _byChannel.Select(list => list.OrderBy(c => c.Tick).ToValueList())];

        public ValueList<SystemExclusive> SystemExclusives() => _sysEx.OrderBy(m => m.Tick).ToValueList();

        private void Count()
        {
            if (++_count > limits.MaxControls)
            {
                throw new MidiFormatException($"MIDI file has more than {limits.MaxControls:N0} controller, pitch-wheel and SysEx messages.");
            }
        }
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
