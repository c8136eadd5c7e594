using System.Buffers.Binary;
using NAudio.Midi;

namespace ComposerBot.Music.Midi;

/// <summary>
/// Reads Standard MIDI Files (format 0 and 1, any PPQ) into a <see cref="Score"/>. Each channel used in a
/// MIDI track becomes a score track. A note-on with velocity 0 is a note-off; overlapping notes of one
/// pitch pair first-in, first-out; notes still sounding at the end of their track end there.
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

        CheckHeader(data.Span, limits);
        MidiFile file;
        try
        {
            using var stream = new MemoryStream(data.ToArray(), writable: false);
            file = new MidiFile(stream, strictChecking: false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new MidiFormatException($"corrupt or truncated MIDI data ({ex.Message.TrimEnd('.')}).", ex);
        }

        return Convert(file, limits);
    }

    private static void CheckHeader(ReadOnlySpan<byte> data, MidiReadLimits limits)
    {
        if (data.Length < 14 || !data[..4].SequenceEqual("MThd"u8))
        {
            throw new MidiFormatException("not a MIDI file (no MThd header).");
        }

        var format = BinaryPrimitives.ReadUInt16BigEndian(data[8..]);
        var tracks = BinaryPrimitives.ReadUInt16BigEndian(data[10..]);
        var division = BinaryPrimitives.ReadUInt16BigEndian(data[12..]);
        if (format > 1)
        {
            throw new MidiFormatException($"MIDI format {format} is not supported (only formats 0 and 1).");
        }

        if (tracks > limits.MaxTracks)
        {
            throw new MidiFormatException($"MIDI file has {tracks} tracks, over the limit of {limits.MaxTracks}.");
        }

        if ((division & 0x8000) != 0 || division == 0)
        {
            throw new MidiFormatException("MIDI time division must be in ticks per quarter note (SMPTE timing is not supported).");
        }
    }

    private static Score Convert(MidiFile file, MidiReadLimits limits)
    {
        var ppq = file.DeltaTicksPerQuarterNote;
        var tempos = new List<TempoChange>();
        var meters = new List<MeterChange>();
        KeySignature? key = null;
        var tracks = new List<Track>();
        var noteCount = 0;

        for (var t = 0; t < file.Tracks; t++)
        {
            var events = file.Events[t];
            var trackEnd = events.Count == 0 ? 0 : events.Max(e => e.AbsoluteTime);
            var name = "";
            var programs = new int[16];
            var parts = new SortedDictionary<int, PartBuilder>();

            foreach (var midiEvent in events)
            {
                switch (midiEvent)
                {
                    case TempoEvent tempo:
                        tempos.Add(CheckTempo(tempo, limits));
                        break;
                    case TimeSignatureEvent meter when meter.Numerator > 0 && meter.Denominator <= 6:
                        meters.Add(new MeterChange(meter.AbsoluteTime, meter.Numerator, 1 << meter.Denominator));
                        break;
                    case KeySignatureEvent sig when key is null && sig.SharpsFlats is >= -7 and <= 7:
                        key = new KeySignature(sig.SharpsFlats, sig.MajorMinor == 1 ? KeyMode.Minor : KeyMode.Major);
                        break;
                    case TextEvent text when text.MetaEventType == MetaEventType.SequenceTrackName && name.Length == 0:
                        name = text.Text.Trim();
                        break;
                    case PatchChangeEvent patch:
                        programs[patch.Channel - 1] = patch.Patch;
                        break;
                    case NoteEvent note when note.CommandCode is MidiCommandCode.NoteOn or MidiCommandCode.NoteOff:
                        var channel = note.Channel - 1;
                        if (!parts.TryGetValue(channel, out var part))
                        {
                            part = new PartBuilder(programs[channel]);
                            parts[channel] = part;
                        }

                        if (note.CommandCode == MidiCommandCode.NoteOn && note.Velocity > 0)
                        {
                            part.NoteOn(note.NoteNumber, note.AbsoluteTime, note.Velocity);
                            if (++noteCount > limits.MaxNotes)
                            {
                                throw new MidiFormatException($"MIDI file has more than {limits.MaxNotes:N0} notes.");
                            }
                        }
                        else
                        {
                            part.NoteOff(note.NoteNumber, note.AbsoluteTime);
                        }

                        break;
                }
            }

            foreach (var (channel, part) in parts)
            {
                var notes = part.Finish(trackEnd);
                if (notes.Count > 0)
                {
                    tracks.Add(new Track(name, part.Program, channel, channel == Track.DrumChannel, notes));
                }
            }
        }

        return new Score(new TempoMap(ppq, tempos), tracks, meters, key);
    }

    private static TempoChange CheckTempo(TempoEvent tempo, MidiReadLimits limits)
    {
        if (tempo.MicrosecondsPerQuarterNote <= 0)
        {
            throw new MidiFormatException($"tempo at tick {tempo.AbsoluteTime} is 0 microseconds per quarter note (an infinite tempo).");
        }

        var change = new TempoChange(tempo.AbsoluteTime, tempo.MicrosecondsPerQuarterNote);
        if (change.Bpm > limits.MaxBpm)
        {
            throw new MidiFormatException($"tempo at tick {tempo.AbsoluteTime} is {change.Bpm:0.#} bpm, over the limit of {limits.MaxBpm:0} bpm.");
        }

        return change;
    }

    /// <summary>Pairs note-ons with note-offs for one channel of one MIDI track.</summary>
    private sealed class PartBuilder(int program)
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

        private void Add(int pitch, long start, long end, int velocity)
        {
            // A note that ends where it starts makes no sound.
            if (end > start)
            {
                _notes.Add(new Note(pitch, start, end - start, velocity));
            }
        }
    }
}
