using System.Buffers.Binary;

namespace ComposerBot.TestSupport;

/// <summary>Reads a 16-bit PCM stereo WAV file (what `render -o x.wav` writes).</summary>
public static class WavFile
{
    public static (float[] Samples, int SampleRate) ReadStereo(string path)
    {
        var (samples, rate) = ReadSamples(path);
        return ([.. samples.Select(v => v / 32768f)], rate);
    }

    /// <summary>The 16-bit samples of the data chunk (interleaved stereo) and the sample rate.</summary>
    public static (short[] Samples, int SampleRate) ReadSamples(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (!bytes.AsSpan(0, 4).SequenceEqual("RIFF"u8) || !bytes.AsSpan(8, 4).SequenceEqual("WAVE"u8))
        {
            throw new InvalidDataException($"{path} is not a WAV file.");
        }

        var rate = 0;
        for (var position = 12; position + 8 <= bytes.Length;)
        {
            var id = bytes.AsSpan(position, 4);
            var size = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position + 4)), (uint)(bytes.Length - position - 8));
            var body = bytes.AsSpan(position + 8, size);
            if (id.SequenceEqual("fmt "u8))
            {
                if (BinaryPrimitives.ReadUInt16LittleEndian(body[2..]) != 2 || BinaryPrimitives.ReadUInt16LittleEndian(body[14..]) != 16)
                {
                    throw new InvalidDataException($"{path} is not 16-bit stereo.");
                }

                rate = BinaryPrimitives.ReadInt32LittleEndian(body[4..]);
            }
            else if (id.SequenceEqual("data"u8))
            {
                return ([.. System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(body[..(size / 2 * 2)])], rate);
            }

            position += 8 + size + (size & 1);
        }

        throw new InvalidDataException($"{path} has no data chunk.");
    }
}
