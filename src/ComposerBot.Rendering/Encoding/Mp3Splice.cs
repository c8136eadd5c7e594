using System.Buffers.Binary;

namespace ComposerBot.Rendering.Encoding;

/// <summary>
/// Joins two MP3 encodings of one piece's overlapping halves into the file one encoding would have made, so
/// that two LAME encoders (<see cref="LameEncoder"/>, the first half with its Info frame, the second bare)
/// can encode a piece in half the time. The second half is encoded from
/// <see cref="PrerollFrames"/> frames before the seam, by when its encoder's state (psychoacoustics, bit
/// reservoir) has settled to the first's; the first runs <see cref="OverrunFrames"/> past it. The seam is
/// the frame nearest the middle where the streams can join (ISO/IEC 11172-3 layer III):
/// <list type="bullet">
/// <item>long blocks on both sides, so the decoder's overlap-add across it is what each encoder assumed;</item>
/// <item>the second stream's first frame reaches back into the bit reservoir (<c>main_data_begin</c>) no
/// further than the first stream leaves free there, so those bytes are copied into the first stream's
/// unused reservoir space and every frame finds its data.</item>
/// </list>
/// The first encoding's Info tag (Xing frames, bytes and seek table; the LAME tag's padding, music length
/// and checksums) is rewritten for the whole, so players trim the encoder delay and padding exactly.
/// </summary>
internal static class Mp3Splice
{
    public const int SamplesPerFrame = 1152;

    /// <summary>Frames of audio before the seam the second encoder starts with (1.2 s at 48 kHz).</summary>
    public const int PrerollFrames = 48;

    /// <summary>Frames of audio past the seam the first encoder goes on with.</summary>
    public const int OverrunFrames = 24;

    private const int HeaderBytes = 4;
    private const int SideInfoBytes = 32;
    private const int LameTagBytes = 36;

    /// <summary>
    /// The whole piece from the first half (with its ID3 and Info tags) and the second (bare frames), the
    /// seam meant at frame <paramref name="seamFrame"/> of the first; null when they cannot be joined (not
    /// MPEG-1 stereo without CRC, no Info tag laid out as LAME and ffmpeg write it, no frame near the seam where they meet).
    /// </summary>
    public static byte[]? Join(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, int seamFrame, long totalSamples)
    {
        var audioStart = Id3Length(first);
        if (Frames(first, audioStart) is not { Count: > 1 } a || Frames(second, 0) is not { Count: > 0 } b)
        {
            return null;
        }

        var info = a[0];
        if (!IsInfo(first, info))
        {
            return null;
        }

        a = a.GetRange(1, a.Count - 1);
        if (Seam(a, b, seamFrame) is not { } seam)
        {
            return null;
        }

        var (k, kb) = seam;
        var joined = new byte[a[k].Offset + (second.Length - b[kb].Offset)];
        first[..a[k].Offset].CopyTo(joined);
        second[b[kb].Offset..].CopyTo(joined.AsSpan(a[k].Offset));

        // The bytes the second stream's first frame reaches back for, into the first's unused reservoir.
        var reach = b[kb].MainDataBegin;
        if (ReservoirTail(a, k, reach) is not { } into || ReservoirTail(b, kb, reach) is not { } from)
        {
            return null;
        }

        for (var i = 0; i < reach; i++)
        {
            joined[into[i]] = second[from[i]];
        }

        var offsets = a.Take(k).Select(f => f.Offset).Concat(b.Skip(kb).Select(f => f.Offset - b[kb].Offset + a[k].Offset)).ToList();
        return RewriteInfo(joined, info, offsets, totalSamples) ? joined : null;
    }

    /// <summary>
    /// Rewrites the Info frame of a single stream (after its ID3 tag) for exactly
    /// <paramref name="totalSamples"/>, as <see cref="Join"/> does for a joined one: frame and byte counts, seek
    /// table, padding, music length and checksums. False (and nothing changed) when the stream has no Info
    /// frame laid out so.
    /// </summary>
    public static bool Complete(byte[] file, long totalSamples)
    {
        if (Frames(file, Id3Length(file)) is not { Count: > 1 } frames || !IsInfo(file, frames[0]))
        {
            return false;
        }

        return RewriteInfo(file, frames[0], [.. frames.Skip(1).Select(f => f.Offset)], totalSamples);
    }

    /// <summary>
    /// CRC-16 (polynomial 0x8005, reflected, initial 0), the checksum of the LAME tag, a byte at a time from
    /// <see cref="CrcTable"/>: the music's checksum runs over the whole file (1.4 MB for a minute at 192 kb/s),
    /// which bit by bit took about 1% of a track's processor time (perf, 2026-11-28).
    /// </summary>
    public static ushort Crc16(ReadOnlySpan<byte> data)
    {
        var crc = 0;
        foreach (var value in data)
        {
            crc = (crc >> 8) ^ CrcTable[(crc ^ value) & 0xFF];
        }

        return (ushort)crc;
    }

    /// <summary>The CRC of each byte value alone, eight steps of the reflected polynomial 0xA001 (never written after).</summary>
    private static readonly ushort[] CrcTable = [.. Enumerable.Range(0, 256).Select(value =>
    {
        var crc = value;
        for (var bit = 0; bit < 8; bit++)
        {
            crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xA001 : crc >> 1;
        }

        return (ushort)crc;
    })];

    /// <summary>One layer III frame: where it is, how long, how far back its main data starts, and whether its granules begin and end in long blocks.</summary>
    internal readonly record struct Frame(int Offset, int Length, int Header, int MainDataBegin, bool LongIn, bool LongOut);

    /// <summary>The MPEG-1 layer III stereo frames from <paramref name="start"/> to the end; null for any other stream.</summary>
    internal static List<Frame>? Frames(ReadOnlySpan<byte> data, int start)
    {
        ReadOnlySpan<int> bitrates = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
        ReadOnlySpan<int> rates = [44100, 48000, 32000];
        var frames = new List<Frame>();
        var position = start;
        while (position + HeaderBytes + SideInfoBytes <= data.Length)
        {
            var header = BinaryPrimitives.ReadInt32BigEndian(data[position..]);
            var bitrate = (header >> 12) & 0xF;
            var rate = (header >> 10) & 0x3;
            // Sync, MPEG-1, layer III, no CRC; a real bitrate and rate; not mono.
            if ((header & unchecked((int)0xFFFF0000)) != unchecked((int)0xFFFB0000) || bitrate is 0 or 15 || rate == 3 || ((header >> 6) & 0x3) == 3)
            {
                return null;
            }

            var length = (144 * bitrates[bitrate] * 1000 / rates[rate]) + ((header >> 9) & 1);
            if (position + length > data.Length)
            {
                return null;
            }

            var side = new SideInfo(data.Slice(position + HeaderBytes, SideInfoBytes));
            frames.Add(new Frame(position, length, header, side.MainDataBegin, side.Long(0), side.Long(1)));
            position += length;
        }

        return position == data.Length ? frames : null;
    }

    /// <summary>The frame of the first stream the second takes over at, and the second's matching frame, nearest the seam first.</summary>
    private static (int First, int Second)? Seam(List<Frame> a, List<Frame> b, int seamFrame)
    {
        for (var step = 0; step <= OverrunFrames; step++)
        {
            var k = seamFrame + ((step % 2 == 0 ? 1 : -1) * ((step + 1) / 2));
            var kb = k - seamFrame + PrerollFrames;
            if (k < 1 || k >= a.Count - (OverrunFrames / 2) || kb < 1 || kb >= b.Count)
            {
                continue;
            }

            // Same bitrate, rate and mode (the padding bit and the stereo mode extension may differ).
            const int Fixed = unchecked((int)0xFFFFFCC0);
            if ((a[k].Header & Fixed) == (b[kb].Header & Fixed)
                && a[k - 1].LongOut && b[kb - 1].LongOut && b[kb].LongIn
                && b[kb].MainDataBegin <= a[k].MainDataBegin)
            {
                return (k, kb);
            }
        }

        return null;
    }

    /// <summary>
    /// The file positions of the last <paramref name="count"/> main-data bytes (frame bytes after the header and
    /// side information) before frame <paramref name="index"/>; null when the frames before it hold fewer.
    /// </summary>
    private static int[]? ReservoirTail(List<Frame> frames, int index, int count)
    {
        var positions = new int[count];
        var filled = count;
        for (var f = index - 1; f >= 0 && filled > 0; f--)
        {
            var frame = frames[f];
            for (var p = frame.Offset + frame.Length - 1; p >= frame.Offset + HeaderBytes + SideInfoBytes && filled > 0; p--)
            {
                positions[--filled] = p;
            }
        }

        return filled == 0 ? positions : null;
    }

    /// <summary>
    /// Rewrites the Info frame for the joined stream: frame and byte counts, the seek table, the LAME tag's
    /// padding, music length and CRCs. False, before anything is written, when the tag is not laid out as LAME and ffmpeg write it (its CRC is checked first).
    /// </summary>
    private static bool RewriteInfo(byte[] file, Frame info, List<int> offsets, long totalSamples)
    {
        var xing = info.Offset + HeaderBytes + SideInfoBytes;
        var flags = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(xing + 4));
        if ((flags & 0x7) != 0x7)
        {
            return false;
        }

        var lame = xing + 8 + 4 + 4 + 100 + ((flags & 0x8) != 0 ? 4 : 0);
        if (lame + LameTagBytes > info.Offset + info.Length
            || BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(lame + 34)) != Crc16(file.AsSpan(info.Offset, 190)))
        {
            return false;
        }

        var size = file.Length - info.Offset;
        var delay = ((file[lame + 21] << 4) | (file[lame + 22] >> 4)) & 0xFFF;
        var padding = ((long)offsets.Count * SamplesPerFrame) - delay - totalSamples;
        if (padding is < 0 or > 0xFFF)
        {
            return false;
        }

        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(xing + 8), offsets.Count);
        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(xing + 12), size);
        for (var i = 0; i < 100; i++)
        {
            // Entry i: where in the file (in 256ths) the frame i% of the way through starts.
            file[xing + 16 + i] = i == 0 ? (byte)0 : (byte)Math.Min(255, 256L * (offsets[i * offsets.Count / 100] - info.Offset) / size);
        }

        var delayAndPadding = (delay << 12) | (int)padding;
        file[lame + 21] = (byte)(delayAndPadding >> 16);
        file[lame + 22] = (byte)(delayAndPadding >> 8);
        file[lame + 23] = (byte)delayAndPadding;
        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(lame + 28), size);
        BinaryPrimitives.WriteUInt16BigEndian(file.AsSpan(lame + 32), Crc16(file.AsSpan(info.Offset + info.Length)));
        BinaryPrimitives.WriteUInt16BigEndian(file.AsSpan(lame + 34), Crc16(file.AsSpan(info.Offset, 190)));
        return true;
    }

    /// <summary>Whether the frame is an Info (or Xing) frame: its tag right after the side information.</summary>
    private static bool IsInfo(ReadOnlySpan<byte> file, Frame frame)
    {
        var xing = file.Slice(frame.Offset + HeaderBytes + SideInfoBytes, 4);
        return xing.SequenceEqual("Info"u8) || xing.SequenceEqual("Xing"u8);
    }

    /// <summary>The length of an ID3v2 tag at the start (its header and synchsafe size), or 0.</summary>
    private static int Id3Length(ReadOnlySpan<byte> data) =>
        data.Length >= 10 && data[..3].SequenceEqual("ID3"u8)
            ? 10 + ((data[6] & 0x7F) << 21) + ((data[7] & 0x7F) << 14) + ((data[8] & 0x7F) << 7) + (data[9] & 0x7F) + ((data[5] & 0x10) != 0 ? 10 : 0)
            : 0;

    /// <summary>MPEG-1 stereo side information: main_data_begin, then per granule and channel the block type.</summary>
    private readonly ref struct SideInfo(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;

        public int MainDataBegin => Bits(0, 9);

        /// <summary>Whether both channels of the granule use a normal long block (no window switching).</summary>
        public bool Long(int granule)
        {
            // 9 bits main_data_begin, 3 private, 2 x 4 scfsi; then 59 bits per granule and channel, the window
            // switching flag after part2_3_length (12), big_values (9), global_gain (8), scalefac_compress (4).
            for (var channel = 0; channel < 2; channel++)
            {
                if (Bits(20 + (59 * ((2 * granule) + channel)) + 33, 1) != 0)
                {
                    return false;
                }
            }

            return true;
        }

        private int Bits(int offset, int count)
        {
            var value = 0;
            for (var i = offset; i < offset + count; i++)
            {
                value = (value << 1) | ((_bytes[i / 8] >> (7 - (i % 8))) & 1);
            }

            return value;
        }
    }
}
