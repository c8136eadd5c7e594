using System.Buffers.Binary;
using System.Text;

namespace ComposerBot.Music.Midi;

/// <summary>
/// The Standard MIDI File's byte layer, read the way players read files from the wild: chunks other than
/// MTrk are skipped; running status carries across meta and SysEx events (files rely on it); system
/// common and real-time bytes (F1-FE, illegal in a file) are skipped with their data bytes; a track cut
/// short only by its End of Track's last byte keeps every event; bytes after the last chunk are ignored.
/// Only what cannot be read is refused: no header, SMPTE time, no track, a track broken off inside an event.
/// </summary>
internal static class SmfParser
{
    /// <summary>One channel voice message, meta event or SysEx packet (F0 or F7, its bytes in Meta), at an absolute tick.</summary>
    internal readonly record struct SmfEvent(long Tick, byte Status, byte Data1, byte Data2, byte MetaType = 0, byte[]? Meta = null)
    {
        public bool IsMeta => Status == 0xFF;

        public bool IsSysEx => Status is 0xF0 or 0xF7;

        public int Kind => Status & 0xF0;

        public int Channel => Status & 0x0F;

        public string Text => Meta is null ? "" : Encoding.Latin1.GetString(Meta);
    }

    /// <summary>One MTrk chunk: its events and the tick of its end (End of Track, or the last event).</summary>
    internal sealed record SmfTrack(List<SmfEvent> Events, long EndTick);

    internal sealed record SmfFile(int Format, int TicksPerQuarter, List<SmfTrack> Tracks);

    public static SmfFile Parse(ReadOnlySpan<byte> data, MidiReadLimits limits)
    {
        if (data.Length < 14 || !data[..4].SequenceEqual("MThd"u8))
        {
            throw new MidiFormatException("not a MIDI file (no MThd header).");
        }

        var headerLength = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        if (headerLength < 6 || headerLength > data.Length - 8)
        {
            throw new MidiFormatException($"the MIDI header is {headerLength} bytes long; it must be at least 6.");
        }

        var format = BinaryPrimitives.ReadUInt16BigEndian(data[8..]);
        var declaredTracks = BinaryPrimitives.ReadUInt16BigEndian(data[10..]);
        var division = BinaryPrimitives.ReadUInt16BigEndian(data[12..]);
        if (format > 2)
        {
            throw new MidiFormatException($"MIDI format {format} does not exist (only 0, 1 and 2).");
        }

        if (declaredTracks > limits.MaxTracks)
        {
            throw new MidiFormatException($"MIDI file has {declaredTracks} tracks, over the limit of {limits.MaxTracks}.");
        }

        if ((division & 0x8000) != 0 || division == 0)
        {
            throw new MidiFormatException("MIDI time division must be in ticks per quarter note (SMPTE timing is not supported).");
        }

        var tracks = new List<SmfTrack>();
        var position = 8 + (int)headerLength;
        while (position + 8 <= data.Length)
        {
            var id = data.Slice(position, 4);
            var length = BinaryPrimitives.ReadUInt32BigEndian(data[(position + 4)..]);
            var start = position + 8;
            var available = (int)Math.Min(length, (uint)(data.Length - start));
            if (id.SequenceEqual("MTrk"u8))
            {
                if (tracks.Count == limits.MaxTracks)
                {
                    throw new MidiFormatException($"MIDI file has more than {limits.MaxTracks} tracks.");
                }

                tracks.Add(ReadTrack(data.Slice(start, available), tracks.Count + 1, start));
            }

            // Any other chunk is one we do not know: the specification says to skip it.
            position = start + available;
        }

        if (tracks.Count == 0)
        {
            throw new MidiFormatException("the MIDI file has no tracks (no MTrk chunk).");
        }

        return new SmfFile(format, division, tracks);
    }

    /// <summary>
    /// One track's events. A track that breaks off inside an event is refused (a cut download would
    /// otherwise play half a piece without a word), except where only the End of Track's last byte is
    /// missing: everything the track holds was read.
    /// </summary>
    private static SmfTrack ReadTrack(ReadOnlySpan<byte> track, int number, int fileOffset)
    {
        var events = new List<SmfEvent>();
        var position = 0;
        long tick = 0;
        byte running = 0;
        while (position < track.Length)
        {
            var statusAt = position;
            if (!TryVariable(track, ref position, out var delta) || position >= track.Length)
            {
                return Ended(events, tick, track, statusAt, number, fileOffset);
            }

            tick += delta;
            statusAt = position;
            var status = track[position];
            if (status < 0x80)
            {
                if (running == 0)
                {
                    // A data byte with no status to run: nothing can be made of the rest of this track.
                    return Ended(events, tick, track, statusAt, number, fileOffset);
                }

                status = running;
            }
            else
            {
                position++;
            }

            if (status == 0xFF)
            {
                if (position >= track.Length)
                {
                    return Ended(events, tick, track, statusAt, number, fileOffset);
                }

                var type = track[position++];
                if (type == 0x2F)
                {
                    return new SmfTrack(events, tick);
                }

                if (!TryVariable(track, ref position, out var length) || length > track.Length - position)
                {
                    return Ended(events, tick, track, statusAt, number, fileOffset);
                }

                events.Add(new SmfEvent(tick, 0xFF, 0, 0, type, track.Slice(position, (int)length).ToArray()));
                position += (int)length;
            }
            else if (status is 0xF0 or 0xF7)
            {
                if (!TryVariable(track, ref position, out var length) || length > track.Length - position)
                {
                    return Ended(events, tick, track, statusAt, number, fileOffset);
                }

                events.Add(new SmfEvent(tick, status, 0, 0, 0, track.Slice(position, (int)length).ToArray()));
                position += (int)length;
            }
            else if (status >= 0xF0)
            {
                // System common and real-time messages have no place in a file; step over their data bytes.
                var size = status switch { 0xF1 or 0xF3 => 1, 0xF2 => 2, _ => 0 };
                while (size-- > 0 && position < track.Length && track[position] < 0x80)
                {
                    position++;
                }
            }
            else
            {
                running = status;
                var size = (status & 0xF0) is 0xC0 or 0xD0 ? 1 : 2;
                if (position + size > track.Length || track[position] >= 0x80 || (size == 2 && track[position + 1] >= 0x80))
                {
                    return Ended(events, tick, track, statusAt, number, fileOffset);
                }

                events.Add(new SmfEvent(tick, status, track[position], size == 2 ? track[position + 1] : (byte)0));
                position += size;
            }
        }

        return new SmfTrack(events, tick);
    }

    /// <summary>Where a track stops early: the End of Track cut short is fine (all was read); anything else is refused.</summary>
    private static SmfTrack Ended(List<SmfEvent> events, long tick, ReadOnlySpan<byte> track, int statusAt, int number, int fileOffset) =>
        statusAt >= track.Length || track[statusAt..].StartsWith([(byte)0xFF, (byte)0x2F])
            ? new SmfTrack(events, tick)
            : throw new MidiFormatException($"corrupt or truncated MIDI data (track {number} breaks off inside an event at byte {fileOffset + statusAt}).");

    /// <summary>A variable-length quantity of at most four bytes.</summary>
    private static bool TryVariable(ReadOnlySpan<byte> data, ref int position, out long value)
    {
        value = 0;
        for (var i = 0; i < 4; i++)
        {
            if (position >= data.Length)
            {
                return false;
            }

            var b = data[position++];
            value = (value << 7) | (uint)(b & 0x7F);
            if (b < 0x80)
            {
                return true;
            }
        }

        return false;
    }
}
