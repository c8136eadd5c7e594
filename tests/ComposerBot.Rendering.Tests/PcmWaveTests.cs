using System.Runtime.InteropServices;
using ComposerBot.Rendering.Fingerprints;
using ComposerBot.TestSupport;

namespace ComposerBot.Rendering.Tests;

/// <summary>The WAV reader verification uses instead of ffmpeg: its resampling against the tones it was given and against ffmpeg's own.</summary>
public sealed class PcmWaveTests : IDisposable
{
    private const string Tones = "0.3*sin(2*PI*300*t)+0.3*sin(2*PI*2000*t)+0.3*sin(2*PI*8000*t)";
    private readonly TempDirectory _work = new();

    [Fact]
    public void Keeps_the_fingerprints_band_drops_what_would_alias_into_it_and_agrees_with_ffmpeg()
    {
        var wav = Make("tones.wav", "pcm_s16le");
        var ours = PcmWave.TryReadMono(wav, AudioFingerprint.SampleRate);
        Assert.NotNull(ours);
        Assert.InRange(ours.Length, (3 * AudioFingerprint.SampleRate) - 2, (3 * AudioFingerprint.SampleRate) + 2);

        // 300 Hz and 2 kHz pass at their level; 8 kHz, which would fold to 3,025 Hz, is gone.
        var middle = ours.AsSpan(AudioFingerprint.SampleRate / 2, 2 * AudioFingerprint.SampleRate);
        Assert.Equal(0.3, Amplitude(middle, 300), 0.003);
        Assert.Equal(0.3, Amplitude(middle, 2000), 0.003);
        Assert.True(Amplitude(middle, 11_025 - 8000) < 0.3e-3, $"the 8 kHz tone's alias at {Amplitude(middle, 3025)}");

        var bytes = File.ReadAllBytes(Decode(wav));
        var theirs = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(0, bytes.Length / 4 * 4)).ToArray();
        var n = Math.Min(theirs.Length, ours.Length) - 2000;
        double dot = 0, a = 0, b = 0;
        for (var i = 1000; i < n; i++)
        {
            dot += ours[i] * theirs[i];
            a += ours[i] * ours[i];
            b += theirs[i] * theirs[i];
        }

        Assert.True(dot / Math.Sqrt(a * b) > 0.999, $"correlation with ffmpeg's resampling {dot / Math.Sqrt(a * b):0.00000}");
    }

    [Fact]
    public void Leaves_other_files_to_ffmpeg()
    {
        Assert.Null(PcmWave.TryReadMono(Make("deep.wav", "pcm_s24le"), AudioFingerprint.SampleRate));
        Assert.Null(PcmWave.TryReadMono(Make("float.wav", "pcm_f32le"), AudioFingerprint.SampleRate));
        var text = _work.File("text.wav");
        File.WriteAllText(text, "not a wave file at all");
        Assert.Null(PcmWave.TryReadMono(text, AudioFingerprint.SampleRate));
    }

    private string Make(string name, string codec)
    {
        var path = _work.File(name);
        ExternalTools.Run("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", $"aevalsrc={Tones}|{Tones}:s=48000:d=3",
            "-c:a", codec, "-metadata", "comment=ComposerBot receipt 0123456789abcdef", "-y", path);
        return path;
    }

    private string Decode(string wav)
    {
        var path = _work.File("ffmpeg.f32");
        ExternalTools.Run("ffmpeg", "-hide_banner", "-loglevel", "error", "-i", wav, "-ac", "1", "-ar", "11025", "-f", "f32le", "-y", path);
        return path;
    }

    /// <summary>The amplitude of one frequency in the samples (a single DFT bin).</summary>
    private static double Amplitude(ReadOnlySpan<float> samples, double frequency)
    {
        double re = 0, im = 0;
        for (var i = 0; i < samples.Length; i++)
        {
            var angle = 2 * Math.PI * frequency * i / AudioFingerprint.SampleRate;
            re += samples[i] * Math.Cos(angle);
            im += samples[i] * Math.Sin(angle);
        }

        return 2 * Math.Sqrt((re * re) + (im * im)) / samples.Length;
    }

    public void Dispose() => _work.Dispose();
}
