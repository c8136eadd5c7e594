using ComposerBot.Rendering.Analysis;
using ComposerBot.Rendering.Mixing;

namespace ComposerBot.Rendering.Tests;

public class BusChainTests
{
    private const int Rate = 48_000;

    [Theory]
    [InlineData(40, 6.0)]
    [InlineData(5000, 0.0)]
    public void A_low_shelf_lifts_the_lows_and_leaves_the_highs(double hz, double expectedDb)
    {
        var gain = Gain(new BusSettings { LowShelfHz = 200, LowShelfDb = 6 }, hz, 0.1);
        Assert.InRange(gain, expectedDb - 0.5, expectedDb + 0.5);
    }

    [Theory]
    [InlineData(15000, -5.0)]
    [InlineData(100, 0.0)]
    public void A_high_shelf_cuts_the_highs_and_leaves_the_lows(double hz, double expectedDb) =>
        Assert.InRange(Gain(new BusSettings { HighShelfHz = 4000, HighShelfDb = -5 }, hz, 0.1), expectedDb - 0.5, expectedDb + 0.5);

    [Fact]
    public void A_presence_bell_lifts_its_band_only_and_a_high_pass_removes_rumble()
    {
        Assert.InRange(Gain(new BusSettings { PresenceHz = 3000, PresenceDb = 3 }, 3000, 0.1), 2.7, 3.3);
        Assert.InRange(Gain(new BusSettings { PresenceHz = 3000, PresenceDb = 3 }, 200, 0.1), -0.3, 0.3);
        Assert.True(Gain(new BusSettings { HighPassHz = 40 }, 10, 0.1) < -20);
        Assert.InRange(Gain(new BusSettings { HighPassHz = 40 }, 1000, 0.1), -0.1, 0.1);
    }

    [Fact]
    public void The_compressor_reduces_what_is_over_the_threshold_by_its_ratio_and_leaves_what_is_under()
    {
        var settings = new BusSettings { ThresholdDb = -18, Ratio = 3, KneeDb = 0 };
        // A sine peaking at -6 dBFS is 12 dB over: it leaves at 12 / 3 = 4 dB over, 8 dB down.
        Assert.InRange(Gain(settings, 1000, Math.Pow(10, -6 / 20.0)), -8.3, -7.5);
        Assert.InRange(Gain(settings, 1000, Math.Pow(10, -30 / 20.0)), -0.05, 0.05);
        Assert.InRange(Gain(settings with { Ratio = 1 }, 1000, 0.5), -0.01, 0.01);
    }

    [Fact]
    public void A_stream_cut_into_blocks_gets_what_one_pass_gets()
    {
        var settings = new BusSettings { HighPassHz = 30, LowShelfDb = 2, HighShelfDb = -3, PresenceDb = 1, ThresholdDb = -20, Ratio = 2.5 };
        var audio = Signals.Bursts(1, 0.7f).Samples;
        var whole = audio.ToArray();
        new BusChain(settings, Rate).Process(whole);
        var blocks = audio.ToArray();
        var chain = new BusChain(settings, Rate);
        for (var start = 0; start < blocks.Length; start += 2 * 1000)
        {
            chain.Process(blocks.AsSpan(start, Math.Min(2 * 1000, blocks.Length - start)));
        }

        Assert.Equal(whole, blocks);
    }

    [Fact]
    public void Parts_equalised_alone_and_given_the_mixes_gains_sum_to_the_processed_mix()
    {
        var settings = new BusSettings { HighPassHz = 30, LowShelfDb = 2, HighShelfDb = -3, ThresholdDb = -24, Ratio = 3 };
        var a = Signals.Bursts(1, 0.5f, seed: 1).Samples;
        var b = Signals.Sine(220, 0.4, 1).Samples;
        var mix = a.Zip(b, (x, y) => x + y).ToArray();
        var chain = new BusChain(settings, Rate);
        chain.Equalize(mix);
        new BusChain(settings, Rate).Equalize(a);
        new BusChain(settings, Rate).Equalize(b);
        var gains = chain.CompressorGains(mix);
        Assert.True(gains.Min() < 0.8f, "the test material should be compressed");
        foreach (var audio in new[] { mix, a, b })
        {
            BusChain.ApplyGains(audio, gains);
        }

        var error = mix.Select((m, i) => Math.Abs(m - a[i] - b[i])).Max();
        Assert.True(20 * Math.Log10(error) < -100, $"the parts differ from the mix by {20 * Math.Log10(error):0} dB");
    }

    /// <summary>The gain in dB the bus gives a sine (its steady second half).</summary>
    private static double Gain(BusSettings settings, double hz, double amplitude)
    {
        var audio = Signals.Sine(hz, amplitude, 1).Samples;
        new BusChain(settings, Rate).Process(audio);
        var left = Spectrum.Left(audio.AsSpan(audio.Length / 2));
        return 20 * Math.Log10(Spectrum.Amplitude(left, Rate, hz) / amplitude);
    }
}
