using System.Buffers;
using System.Runtime.InteropServices;

namespace ComposerBot.Rendering.Encoding;

/// <summary>
/// MP3 frames encoded in this process by LAME (Debian libmp3lame0, the library ffmpeg's MP3 encoder wraps),
/// with no ffmpeg process to start (about 50 ms of processor time, and a core taken from the synthesis it
/// overlapped) and no pipe to copy through. LAME is set up as ffmpeg's libmp3lame encoder sets it up for
/// <c>-c:a libmp3lame -b:a Nk -id3v2_version 0 -write_xing 0</c> (constant bitrate, joint stereo, the bit
/// reservoir, LAME's default quality) and fed as ffmpeg feeds it (planar float scaled to the 16-bit range), so
/// its bare frames are the very bytes that command writes (tested). With <c>infoTag</c>, LAME's own Info
/// frame (Xing header and LAME tag: encoder delay and padding, for gapless decoding) comes first, in the
/// place LAME keeps for it in the stream; the audio frames after it are the same bytes.
/// </summary>
internal static partial class LameEncoder
{
    private const string Library = "libmp3lame.so.0";

    /// <summary>ffmpeg scales float samples by this before handing them to <c>lame_encode_buffer_float</c>.</summary>
    private const float Scale = 32768f;

    private const int JointStereo = 1;

    /// <summary>Sample frames per call into LAME: four MP3 frames.</summary>
    private const int Chunk = 4 * Mp3Splice.SamplesPerFrame;

    private static readonly Lazy<bool> Loadable = new(() =>
    {
        if (!NativeLibrary.TryLoad(Library, out var handle))
        {
            return false;
        }

        NativeLibrary.Free(handle);
        return true;
    });

    /// <summary>Whether libmp3lame loads here; without it MP3s are encoded in one ffmpeg pass.</summary>
    public static bool Available => Loadable.Value;

    /// <summary>LAME's version, as it names itself ("3.100").</summary>
    public static string Version => Marshal.PtrToStringAnsi(ShortVersion()) ?? "";

    /// <summary>
    /// Whether LAME writes its Info frame at this bitrate and rate: it writes the frame at the stream's own
    /// bitrate, so only where an MPEG-1 layer III frame (144,000 x kb/s / rate bytes) holds the side
    /// information (32 bytes) and the Xing and LAME headers (156 bytes; LAME 3.100, VbrTag.c); below that
    /// (under 64 kb/s at 44.1 and 48 kHz) it writes none.
    /// </summary>
    public static bool HoldsInfoFrame(int kbps, int sampleRate) => 144_000L * kbps / sampleRate >= 32 + 156;

    /// <summary>Encodes interleaved stereo float samples at a constant bitrate to bare MP3 frames.</summary>
    public static byte[] EncodeBare(ReadOnlySpan<float> interleaved, int sampleRate, int kbps, CancellationToken cancellationToken = default) =>
        Encode(interleaved, sampleRate, kbps, infoTag: false, cancellationToken);

    /// <summary>
    /// Encodes interleaved stereo float samples at a constant bitrate to MP3 frames, LAME's Info frame first
    /// when <paramref name="infoTag"/> (no ID3 tag either way; the bitrate must be one that
    /// <see cref="HoldsInfoFrame"/>).
    /// </summary>
    public static unsafe byte[] Encode(ReadOnlySpan<float> interleaved, int sampleRate, int kbps, bool infoTag, CancellationToken cancellationToken = default)
    {
        if (infoTag && !HoldsInfoFrame(kbps, sampleRate))
        {
            throw new RenderException($"LAME writes no Info frame at {kbps} kb/s and {sampleRate} Hz.");
        }

        var flags = Init();
        if (flags == 0)
        {
            throw new RenderException("LAME could not start an MP3 encoder (lame_init failed).");
        }

        var left = ArrayPool<float>.Shared.Rent(Chunk);
        var right = ArrayPool<float>.Shared.Rent(Chunk);
        var buffer = ArrayPool<byte>.Shared.Rent((Chunk * 5 / 4) + 7200); // LAME's worst case for a call
        try
        {
            if (SetNumChannels(flags, AudioBuffer.Channels) < 0 || SetInSampleRate(flags, sampleRate) < 0 || SetOutSampleRate(flags, sampleRate) < 0
                || SetMode(flags, JointStereo) < 0 || SetBitrate(flags, kbps) < 0 || SetWriteVbrTag(flags, infoTag ? 1 : 0) < 0 || SetDisableReservoir(flags, 0) < 0
                || InitParams(flags) < 0)
            {
                throw new RenderException($"LAME refused to encode {kbps} kb/s stereo MP3 at {sampleRate} Hz.");
            }

            var frames = interleaved.Length / AudioBuffer.Channels;
            var output = new ArrayBufferWriter<byte>((int)((long)frames * kbps * 125 / sampleRate) + 8192);
            for (var start = 0; start < frames; start += Chunk)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var count = Math.Min(Chunk, frames - start);
                for (var i = 0; i < count; i++)
                {
                    left[i] = interleaved[(start + i) * 2] * Scale;
                    right[i] = interleaved[((start + i) * 2) + 1] * Scale;
                }

                int written;
                fixed (float* l = left, r = right)
                fixed (byte* b = buffer)
                {
                    written = EncodeFloat(flags, l, r, count, b, buffer.Length);
                }

                Append(output, buffer, written, "encode");
            }

            fixed (byte* b = buffer)
            {
                Append(output, buffer, Flush(flags, b, buffer.Length), "flush");
            }

            var file = output.WrittenSpan.ToArray();
            if (infoTag)
            {
                // LAME wrote a frame where the tag goes (a header of the same bitrate and rate, then zeros); the tag,
                // known now, takes its place.
                int tagged;
                fixed (byte* b = buffer)
                {
                    tagged = (int)TagFrame(flags, b, (nuint)buffer.Length);
                }

                if (tagged <= 4 || tagged > file.Length || !file.AsSpan(0, 3).SequenceEqual(buffer.AsSpan(0, 3)) || file.AsSpan(4, tagged - 4).ContainsAnyExcept((byte)0))
                {
                    throw new RenderException($"LAME wrote no Info frame at {kbps} kb/s and {sampleRate} Hz.");
                }

                buffer.AsSpan(0, tagged).CopyTo(file);
            }

            return file;
        }
        finally
        {
            _ = Close(flags);
            ArrayPool<float>.Shared.Return(left);
            ArrayPool<float>.Shared.Return(right);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Append(ArrayBufferWriter<byte> output, byte[] buffer, int written, string step)
    {
        if (written < 0)
        {
            throw new RenderException($"LAME failed to {step} MP3 frames (error {written}).");
        }

        output.Write(buffer.AsSpan(0, written));
    }

    [LibraryImport(Library, EntryPoint = "get_lame_short_version")]
    private static partial nint ShortVersion();

    [LibraryImport(Library, EntryPoint = "lame_get_lametag_frame")]
    private static unsafe partial nuint TagFrame(nint flags, byte* buffer, nuint size);

    [LibraryImport(Library, EntryPoint = "lame_init")]
    private static partial nint Init();

    [LibraryImport(Library, EntryPoint = "lame_close")]
    private static partial int Close(nint flags);

    [LibraryImport(Library, EntryPoint = "lame_set_num_channels")]
    private static partial int SetNumChannels(nint flags, int channels);

    [LibraryImport(Library, EntryPoint = "lame_set_in_samplerate")]
    private static partial int SetInSampleRate(nint flags, int rate);

    [LibraryImport(Library, EntryPoint = "lame_set_out_samplerate")]
    private static partial int SetOutSampleRate(nint flags, int rate);

    [LibraryImport(Library, EntryPoint = "lame_set_mode")]
    private static partial int SetMode(nint flags, int mode);

    [LibraryImport(Library, EntryPoint = "lame_set_brate")]
    private static partial int SetBitrate(nint flags, int kbps);

    [LibraryImport(Library, EntryPoint = "lame_set_bWriteVbrTag")]
    private static partial int SetWriteVbrTag(nint flags, int write);

    [LibraryImport(Library, EntryPoint = "lame_set_disable_reservoir")]
    private static partial int SetDisableReservoir(nint flags, int disable);

    [LibraryImport(Library, EntryPoint = "lame_init_params")]
    private static partial int InitParams(nint flags);

    [LibraryImport(Library, EntryPoint = "lame_encode_buffer_float")]
    private static unsafe partial int EncodeFloat(nint flags, float* left, float* right, int samples, byte* mp3, int size);

    [LibraryImport(Library, EntryPoint = "lame_encode_flush")]
    private static unsafe partial int Flush(nint flags, byte* mp3, int size);
}
