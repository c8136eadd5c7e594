using ComposerBot.Music;
using ComposerBot.Rendering.Analysis;
using ComposerBot.Rendering.SoundFonts;
using Xunit.Abstractions;

namespace ComposerBot.Rendering.Tests;

/// <summary>The chip voices as FluidSynth plays them from the SoundFont our code builds.</summary>
[Collection(SynthGroup.Name)]
public class ChipVoiceTests(SynthFixture synth, ITestOutputHelper output)
{
    private const int Rate = 48_000;

    [Fact]
    public void The_chip_soundfont_is_the_same_bytes_on_every_build_and_a_valid_riff_sfbk_file()
    {
        var first = ChipSoundFont.Build();
        Assert.Equal(first, ChipSoundFont.Build());
        Assert.Equal("RIFF"u8.ToArray(), first[..4]);
        Assert.Equal("sfbk"u8.ToArray(), first[8..12]);
        Assert.Equal(first.Length - 8, BitConverter.ToInt32(first, 4));
    }

    [Fact]
    public void The_cached_file_is_what_this_version_builds_and_is_written_once()
    {
        using var cache = new TestSupport.TempDirectory();
        var path = ChipSoundFont.Ensure(cache.Path);
        Assert.Equal(ChipSoundFont.FileName, Path.GetFileName(path));
        Assert.Equal(ChipSoundFont.Build(), File.ReadAllBytes(path));
        var written = File.GetLastWriteTimeUtc(path);
        Assert.Equal(path, ChipSoundFont.Ensure(cache.Path));
        Assert.Equal(written, File.GetLastWriteTimeUtc(path));
        Assert.Equal([ChipSoundFont.FileName], cache.Files());
    }

    [Theory]
    [InlineData(0.125, 69)]
    [InlineData(0.25, 69)]
    [InlineData(0.5, 69)]
    [InlineData(0.125, 81)]
    [InlineData(0.25, 57)]
    public void A_pulse_voice_has_the_harmonics_of_a_pulse_of_its_duty(double duty, int key)
    {
        var mono = Play(ChipPresets.PulseBankFor(duty), ChipPresets.PulseProgram, key);
        var f = 440 * Math.Pow(2, (key - 69) / 12.0);
        var fundamental = Spectrum.Amplitude(mono, Rate, f);
        for (var n = 1; n <= 8; n++)
        {
            var expected = Math.Abs(Math.Sin(Math.PI * n * duty)) / n / Math.Sin(Math.PI * duty);
            var measured = Spectrum.Amplitude(mono, Rate, n * f) / fundamental;
            output.WriteLine($"duty {duty} key {key} harmonic {n}: expected {Db(expected):0.00} dB, measured {Db(measured):0.00} dB");
            if (expected > 0.01)
            {
                Assert.InRange(Db(measured) - Db(expected), -2, 2);
            }
            else
            {
                Assert.True(Db(measured) < -30, $"harmonic {n} of a {duty:P1} pulse should vanish, measured {Db(measured):0.0} dB");
            }
        }
    }

    [Theory]
    [InlineData(96)]
    [InlineData(108)]
    public void A_high_pulse_note_does_not_alias(int key)
    {
        var mono = Play(ChipPresets.PulseBankFor(0.125), ChipPresets.PulseProgram, key);
        var f = 440 * Math.Pow(2, (key - 69) / 12.0);
        const int size = 8192;
        var power = Spectrum.Welch(mono, size);
        double harmonic = 0, other = 0;
        for (var k = 1; k < power.Length; k++)
        {
            var hz = (double)k * Rate / size;
            var nearest = Math.Round(hz / f) * f;
            if (Math.Abs(hz - nearest) <= 4.0 * Rate / size && nearest > 0)
            {
                harmonic += power[k];
            }
            else
            {
                other += power[k];
            }
        }

        output.WriteLine($"key {key}: energy off the harmonics {Db(Math.Sqrt(other / harmonic)):0.0} dB");
        Assert.True(Db(Math.Sqrt(other / harmonic)) < -40, $"energy off the harmonics at {Db(Math.Sqrt(other / harmonic)):0.0} dB");
    }

    [Fact]
    public void The_triangle_is_a_4_bit_staircase_with_its_harmonics()
    {
        var mono = Play(ChipPresets.TriangleBank, ChipPresets.TriangleProgram, 45);
        var f = 110.0;
        var expected = ChipSoundFont.Harmonics([.. Enumerable.Range(0, 32).Select(i => (double)(i < 16 ? 15 - i : i - 16))], 8);
        var fundamental = Spectrum.Amplitude(mono, Rate, f);
        foreach (var n in new[] { 1, 3, 5, 7 })
        {
            var want = Math.Sqrt((expected[n].Cos * expected[n].Cos) + (expected[n].Sin * expected[n].Sin)) / Math.Sqrt((expected[1].Cos * expected[1].Cos) + (expected[1].Sin * expected[1].Sin));
            var measured = Spectrum.Amplitude(mono, Rate, n * f) / fundamental;
            output.WriteLine($"triangle harmonic {n}: expected {Db(want):0.00} dB, measured {Db(measured):0.00} dB");
            Assert.InRange(Db(measured) - Db(want), -2, 2);
        }
    }

    [Fact]
    public void The_noise_kit_long_mode_is_not_tonal_and_its_short_mode_is()
    {
        var snare = Peakiness(PlayDrum(38));
        var hat = Peakiness(PlayDrum(42));
        var ride = Peakiness(PlayDrum(51));
        output.WriteLine($"peak over median: snare {snare:0.0} dB, hat {hat:0.0} dB, short-mode ride {ride:0.0} dB");
        Assert.True(snare < 15 && hat < 15, $"long-mode noise has a tone: snare {snare:0.0} dB, hat {hat:0.0} dB over the median");
        Assert.True(ride > 20, $"short-mode noise should ring (93-step period): {ride:0.0} dB");
    }

    /// <summary>The loudest bin of the smoothed spectrum over its median, in dB, over 300 Hz-12 kHz.</summary>
    private static double Peakiness(float[] mono)
    {
        const int size = 1024;
        var power = Spectrum.Welch(mono, size);
        var band = power.Select((p, k) => (Hz: (double)k * Rate / size, P: p)).Where(b => b.Hz is >= 300 and <= 12_000).Select(b => b.P).Order().ToArray();
        return 10 * Math.Log10(band[^1] / band[band.Length / 2]);
    }

    private float[] Play(int bank, int program, int key)
    {
        var track = new Track("Lead", program, 0, false, ValueList.Of(new Note(key, 0, 960, 100)))
        {
            Controls = ValueList.From<ChannelControl>([.. ChipPresets.Select(0, bank, program), ChannelControl.Controller(0, 91, 0), ChannelControl.Controller(0, 93, 0)]),
        };
        var audio = synth.Synthesizer().Render(new Score(TempoMap.Constant(480, 60), [track]));
        return Spectrum.Left(audio.Samples.AsSpan((int)(0.2 * Rate) * 2, Rate * 2 / 2 * 2));
    }

    private float[] PlayDrum(int key)
    {
        var track = new Track("Drums", ChipPresets.NoiseKitProgram, Track.DrumChannel, true, ValueList.Of(new Note(key, 0, 240, 110)))
        {
            Controls = ValueList.From<ChannelControl>([ChannelControl.Controller(0, 91, 0), ChannelControl.Controller(0, 93, 0)]),
        };
        var audio = synth.Synthesizer().Render(new Score(TempoMap.Constant(480, 60), [track]));
        return Spectrum.Left(audio.Samples.AsSpan(0, Math.Min(audio.Samples.Length, Rate / 10 * 2)));
    }

    private static double Db(double ratio) => 20 * Math.Log10(Math.Max(ratio, 1e-12));
}
