using System.Numerics;
using System.Runtime.CompilerServices;

namespace ComposerBot.Rendering.Analysis;

/// <summary>Spectra of mono audio: the FFT, a Hann-windowed amplitude at one frequency, and Welch's averaged power spectrum.</summary>
public static class Spectrum
{
    /// <summary>In-place iterative radix-2 FFT (the length a power of two).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fft(Complex[] data)
    {
        var n = data.Length;
        for (int i = 1, j = 0; i < n; i++)
        {
            var bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1)
            {
                j ^= bit;
            }

            j ^= bit;
            if (i < j)
            {
                (data[i], data[j]) = (data[j], data[i]);
            }
        }

        for (var length = 2; length <= n; length <<= 1)
        {
            var angle = -2 * Math.PI / length;
            var step = new Complex(Math.Cos(angle), Math.Sin(angle));
            for (var start = 0; start < n; start += length)
            {
                var w = Complex.One;
                for (var k = 0; k < length / 2; k++)
                {
                    var even = data[start + k];
                    var odd = data[start + k + (length / 2)] * w;
                    data[start + k] = even + odd;
                    data[start + k + (length / 2)] = even - odd;
                    w *= step;
                }
            }
        }
    }

    /// <summary>The Hann window of a length.</summary>
    public static double[] Hann(int length) => [.. Enumerable.Range(0, length).Select(i => 0.5 - (0.5 * Math.Cos(2 * Math.PI * i / length)))];

    /// <summary>
    /// The amplitude of the sinusoid at <paramref name="frequency"/> Hz in the signal (a Hann-windowed DFT
    /// at that one frequency, scaled so a sine of amplitude A reads A).
    /// </summary>
    public static double Amplitude(ReadOnlySpan<float> mono, int sampleRate, double frequency)
    {
        double re = 0, im = 0, sum = 0;
        var n = mono.Length;
        for (var i = 0; i < n; i++)
        {
            var w = 0.5 - (0.5 * Math.Cos(2 * Math.PI * i / n));
            var phase = 2 * Math.PI * frequency * i / sampleRate;
            re += w * mono[i] * Math.Cos(phase);
            im -= w * mono[i] * Math.Sin(phase);
            sum += w;
        }

        return 2 * Math.Sqrt((re * re) + (im * im)) / sum;
    }

    /// <summary>
    /// Welch's power spectrum: Hann windows of <paramref name="size"/> samples (a power of two) overlapping
    /// by half, their squared magnitudes averaged; bin k is k * rate / size Hz.
    /// </summary>
    public static double[] Welch(ReadOnlySpan<float> mono, int size)
    {
        var window = Hann(size);
        var power = new double[(size / 2) + 1];
        var buffer = new Complex[size];
        var count = 0;
        for (var start = 0; start + size <= mono.Length; start += size / 2)
        {
            for (var i = 0; i < size; i++)
            {
                buffer[i] = new Complex(mono[start + i] * window[i], 0);
            }

            Fft(buffer);
            for (var k = 0; k < power.Length; k++)
            {
                power[k] += buffer[k].Magnitude * buffer[k].Magnitude;
            }

            count++;
        }

        return count == 0 ? power : [.. power.Select(p => p / count)];
    }

    /// <summary>The left channel of interleaved stereo.</summary>
    public static float[] Left(ReadOnlySpan<float> interleaved)
    {
        var mono = new float[interleaved.Length / 2];
        for (var i = 0; i < mono.Length; i++)
        {
            mono[i] = interleaved[2 * i];
        }

        return mono;
    }
}
