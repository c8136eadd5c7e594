using System.Buffers;
using System.Runtime.InteropServices;

namespace ComposerBot.Rendering.Encoding;

/// <summary>
/// Bare MP3 frames (no ID3 or Info tag) encoded in this process by LAME (Debian libmp3lame0, the library
/// ffmpeg's MP3 encoder wraps): the second half of an MP3 encoded in halves (<see cref="Mp3Splice"/>), with
/// no ffmpeg process to start (about 50 ms of processor time) and no pipe to copy through. LAME is set up as
/// ffmpeg's libmp3lame encoder sets it up for <c>-c:a libmp3lame -b:a Nk -id3v2_version 0 -write_xing 0</c>
/// (constant bitrate, joint stereo, the bit reservoir, LAME's default quality, no tag of its own) and fed as
/// ffmpeg feeds it (planar float scaled to the 16-bit range), so it writes the very bytes that command
/// writes (tested).
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

    /// <summary>Encodes interleaved stereo float samples at a constant bitrate to bare MP3 frames.</summary>
    public static unsafe byte[] EncodeBare(ReadOnlySpan<float> interleaved, int sampleRate, int kbps, CancellationToken cancellationToken = default)
    {
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
                || SetMode(flags, JointStereo) < 0 || SetBitrate(flags, kbps) < 0 || SetWriteVbrTag(flags, 0) < 0 || SetDisableReservoir(flags, 0) < 0
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

            return output.WrittenSpan.ToArray();
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
