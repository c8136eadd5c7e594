using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ComposerBot.Rendering.Fingerprints;

/// <summary>
/// Reads a 16-bit PCM WAV (what a render to .wav writes) as mono at another sample rate without starting
/// ffmpeg: the channels averaged, then resampled by a polyphase windowed-sinc filter cut at the new rate's
/// Nyquist frequency (Blackman window over 13 output samples either side: a transition band of about a
/// fifth of the new rate), so at 11,025 Hz it is flat up to 4.3 kHz, the band the fingerprint reads, and
/// over 70 dB down from 6.7 kHz, above which an alias would fold back into that band.
/// </summary>
public static class PcmWave
{
    private const int HalfTapsPerOutputSample = 13;

    /// <summary>The file's samples as mono at <paramref name="sampleRate"/>, or null when it is not a 16-bit PCM WAV.</summary>
    public static float[]? TryReadMono(string path, int sampleRate)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 12 || !bytes.AsSpan(0, 4).SequenceEqual("RIFF"u8) || !bytes.AsSpan(8, 4).SequenceEqual("WAVE"u8))
        {
            return null;
        }

        int channels = 0, rate = 0, bits = 0, format = 0;
        for (var at = 12; at + 8 <= bytes.Length;)
        {
            var id = bytes.AsSpan(at, 4);
            var size = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 4)), (uint)(bytes.Length - at - 8));
            var body = bytes.AsSpan(at + 8, size);
            if (id.SequenceEqual("fmt "u8) && size >= 16)
            {
                format = BinaryPrimitives.ReadUInt16LittleEndian(body);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(body[2..]);
                rate = (int)BinaryPrimitives.ReadUInt32LittleEndian(body[4..]);
                bits = BinaryPrimitives.ReadUInt16LittleEndian(body[14..]);
            }
            else if (id.SequenceEqual("data"u8))
            {
                const int Pcm = 1, Extensible = 0xFFFE;
                return format is Pcm or Extensible && bits == 16 && channels > 0 && rate > 0
                    ? Resample(Mono(body, channels), rate, sampleRate)
                    : null;
            }

            at += 8 + size + (size & 1);
        }

        return null;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float[] Mono(ReadOnlySpan<byte> data, int channels)
    {
        var frames = data.Length / (2 * channels);
        var mono = new float[frames];
        for (var f = 0; f < frames; f++)
        {
            var sum = 0;
            for (var c = 0; c < channels; c++)
            {
                sum += BinaryPrimitives.ReadInt16LittleEndian(data[(2 * ((f * channels) + c))..]);
            }

            mono[f] = sum / (32768f * channels);
        }

        return mono;
    }

    /// <summary>
    /// Output sample n lies at input position n * from / to; the rates' ratio in lowest terms (up/down)
    /// repeats the fractional positions every <c>up</c> outputs, so one filter per phase is computed once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float[] Resample(float[] input, int from, int to)
    {
        if (from == to)
        {
            return input;
        }

        var divisor = Gcd(from, to);
        int up = to / divisor, down = from / divisor;
        var scale = Math.Min(1.0, (double)to / from);
        var cutoff = 0.5 * scale;
        var halfTaps = (int)Math.Ceiling(HalfTapsPerOutputSample / scale);
        var phases = new float[up][];
        for (var p = 0; p < up; p++)
        {
            var fraction = (double)p * down % up / up;
            var taps = new float[2 * halfTaps];
            for (var k = 0; k < taps.Length; k++)
            {
                var t = k - halfTaps + 1 - fraction;
                var w = t / halfTaps;
                var window = Math.Abs(w) >= 1 ? 0 : 0.42 + (0.5 * Math.Cos(Math.PI * w)) + (0.08 * Math.Cos(2 * Math.PI * w));
                var sinc = t == 0 ? 1 : Math.Sin(2 * Math.PI * cutoff * t) / (2 * Math.PI * cutoff * t);
                taps[k] = (float)(2 * cutoff * sinc * window);
            }

            phases[p] = taps;
        }

        var length = (int)((long)input.Length * up / down);
        var output = new float[length];
        for (var n = 0; n < length; n++)
        {
            var position = (long)n * down;
            var centre = (int)(position / up);
            var taps = phases[n % up];
            var start = centre - halfTaps + 1;
            var sum = 0f;
            if (start >= 0 && start + taps.Length <= input.Length)
            {
                sum = Dot(input.AsSpan(start, taps.Length), taps);
            }
            else
            {
                for (var k = 0; k < taps.Length; k++)
                {
                    var i = start + k;
                    sum += i >= 0 && i < input.Length ? input[i] * taps[k] : 0;
                }
            }

            output[n] = sum;
        }

        return output;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sums = Vector<float>.Zero;
        var i = 0;
        for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            sums += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
        }

        var sum = Vector.Sum(sums);
        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}
