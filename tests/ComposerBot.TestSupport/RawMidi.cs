using System.Buffers.Binary;

namespace ComposerBot.TestSupport;

/// <summary>
/// Builds Standard MIDI File bytes by hand, event by event, so tests can make files that no well-behaved
/// writer would: velocity-0 note-offs, missing note-offs, bad tempos, truncations, hundreds of tracks.
/// </summary>
public sealed class RawMidi(int format = 1, int ticksPerQuarter = 480)
{
    private readonly List<byte[]> _tracks = [];

    public RawMidi Track(Action<TrackWriter> write)
    {
        var writer = new TrackWriter();
        write(writer);
        _tracks.Add(writer.ToChunk());
        return this;
    }

    public byte[] ToBytes()
    {
        var bytes = new List<byte>("MThd"u8.ToArray());
        bytes.AddRange(BigEndian32(6));
        bytes.AddRange(BigEndian16(format));
        bytes.AddRange(BigEndian16(_tracks.Count));
        bytes.AddRange(BigEndian16(ticksPerQuarter));
        foreach (var track in _tracks)
        {
            bytes.AddRange(track);
        }

        return [.. bytes];
    }

    private static byte[] BigEndian16(int value)
    {
        var b = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, (ushort)value);
        return b;
    }

    internal static byte[] BigEndian32(int value)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(b, value);
        return b;
    }

    /// <summary>Writes one track's events with delta times.</summary>
    public sealed class TrackWriter
    {
        private readonly List<byte> _data = [];
        private long _now;

        public TrackWriter At(long tick)
        {
            _pendingDelta = tick - _now;
            _now = tick;
            return this;
        }

        private long _pendingDelta;

        public TrackWriter NoteOn(int channel, int pitch, int velocity) => Event(0x90 | channel, pitch, velocity);

        public TrackWriter NoteOff(int channel, int pitch) => Event(0x80 | channel, pitch, 64);

        public TrackWriter Program(int channel, int program) => Event(0xC0 | channel, program);

        public TrackWriter Controller(int channel, int number, int value) => Event(0xB0 | channel, number, value);

        /// <summary>A SysEx packet as it stands in a file: F0 (or F7 for a continuation), its length, its bytes.</summary>
        public TrackWriter SystemExclusive(int status, params byte[] packet)
        {
            WriteDelta();
            _data.Add((byte)status);
            WriteVarInt(packet.Length);
            _data.AddRange(packet);
            return this;
        }

        public TrackWriter Tempo(int microsecondsPerQuarter) =>
            Meta(0x51, (byte)(microsecondsPerQuarter >> 16), (byte)(microsecondsPerQuarter >> 8), (byte)microsecondsPerQuarter);

        public TrackWriter TimeSignature(int numerator, int denominatorPower) => Meta(0x58, (byte)numerator, (byte)denominatorPower, 24, 8);

        public TrackWriter KeySignature(int sharps, bool minor) => Meta(0x59, (byte)(sbyte)sharps, (byte)(minor ? 1 : 0));

        public TrackWriter Name(string name) => Meta(0x03, System.Text.Encoding.ASCII.GetBytes(name));

        public TrackWriter Meta(int type, params byte[] data)
        {
            WriteDelta();
            _data.Add(0xFF);
            _data.Add((byte)type);
            WriteVarInt(data.Length);
            _data.AddRange(data);
            return this;
        }

        private TrackWriter Event(int status, params int[] data)
        {
            WriteDelta();
            _data.Add((byte)status);
            foreach (var d in data)
            {
                _data.Add((byte)d);
            }

            return this;
        }

        private void WriteDelta()
        {
            WriteVarInt(_pendingDelta);
            _pendingDelta = 0;
        }

        private void WriteVarInt(long value)
        {
            var stack = new Stack<byte>();
            stack.Push((byte)(value & 0x7F));
            while ((value >>= 7) > 0)
            {
                stack.Push((byte)((value & 0x7F) | 0x80));
            }

            _data.AddRange(stack);
        }

        internal byte[] ToChunk()
        {
            Meta(0x2F);
            var chunk = new List<byte>("MTrk"u8.ToArray());
            chunk.AddRange(BigEndian32(_data.Count));
            chunk.AddRange(_data);
            return [.. chunk];
        }
    }
}
