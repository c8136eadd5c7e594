using ComposerBot.Rendering.Loudness;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ComposerBot.Rendering.Tests;

/// <summary>The streaming meters and limiter give what the whole-signal ones give, however the stream is cut.</summary>
public class StreamingLoudnessTests
{
    private const int Rate = 48_000;

    [Property(MaxTest = 40)]
    public Property The_streaming_limiter_gives_the_batch_limiters_gains() => Prop.ForAll(
        Gen.Choose(1, 20_000).ToArbitrary(),
        Gen.Choose(1, 4000).ToArbitrary(),
        Gen.Choose(1, 300).ToArbitrary(),
        (frames, block, lookAhead) =>
        {
            var random = new Random(frames + (31 * block) + lookAhead);
            var envelope = new float[frames];
            for (var i = 0; i < frames; i++)
            {
                envelope[i] = random.Next(10) == 0 ? 0.5f + (2 * random.NextSingle()) : random.NextSingle() * 0.6f;
            }

            var expected = LookAheadLimiter.Gains(envelope, 1.7, 0.84, lookAhead, 3840);
            var limiter = new StreamingLimiter(1.7, 0.84, lookAhead, 3840);
            var gains = new List<float>();
            for (var i = 0; i < frames; i += block)
            {
                limiter.Push(envelope.AsSpan(i, Math.Min(block, frames - i)), gains);
            }

            limiter.Complete(gains);
            return gains.Count == frames && gains.Zip(expected).All(p => Math.Abs(p.First - p.Second) <= 1e-6f && p.First <= p.Second + 1e-6f);
        });

    [Fact]
    public void The_streaming_limiter_keeps_a_long_stream_in_step_past_its_compaction()
    {
        var envelope = new float[300_000];
        var random = new Random(5);
        for (var i = 0; i < envelope.Length; i++)
        {
            envelope[i] = random.NextSingle() * 1.4f;
        }

        var expected = LookAheadLimiter.Gains(envelope, 1, 0.8, 240, 3840);
        var limiter = new StreamingLimiter(1, 0.8, 240, 3840);
        var gains = new List<float>();
        for (var i = 0; i < envelope.Length; i += 32_768)
        {
            limiter.Push(envelope.AsSpan(i, Math.Min(32_768, envelope.Length - i)), gains);
        }

        limiter.Complete(gains);
        Assert.Equal(expected.Length, gains.Count);
        Assert.True(gains.Zip(expected).Max(p => Math.Abs(p.First - p.Second)) <= 1e-6f);
    }

    [Theory]
    [InlineData(100, 7)]
    [InlineData(5000, 1000)]
    [InlineData(70_000, 4096)]
    [InlineData(70_000, 70_000)]
    public void The_streaming_envelope_is_the_whole_signals_envelope(int frames, int block)
    {
        var audio = Noise(frames, 3);
        var expected = TruePeakMeter.Envelope(audio);
        var envelope = new StreamingEnvelope(Rate, chunkFrames: 1000);
        var values = new List<float>();
        for (var f = 0; f < frames; f += block)
        {
            envelope.Push(audio.Samples.AsSpan(2 * f, 2 * Math.Min(block, frames - f)), values);
        }

        envelope.Complete(values);
        Assert.Equal(expected, values);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(4800)]
    [InlineData(48_000)]
    public void The_loudness_accumulator_measures_what_the_meter_measures(int block)
    {
        var audio = Noise(Rate * 5, 9);
        var accumulator = new LoudnessAccumulator(Rate);
        for (var f = 0; f < audio.Frames; f += block)
        {
            accumulator.Add(audio.Samples.AsSpan(2 * f, 2 * (int)Math.Min(block, audio.Frames - f)));
        }

        Assert.Equal(LoudnessMeter.IntegratedLufs(audio), accumulator.IntegratedLufs, 6);
    }

    /// <summary>Noise with a loud passage and a quiet one, so both gates and the limiter have work.</summary>
    private static AudioBuffer Noise(int frames, int seed)
    {
        var random = new Random(seed);
        var samples = new float[frames * 2];
        for (var i = 0; i < samples.Length; i++)
        {
            var level = (i / 2) % 40_000 < 20_000 ? 0.9f : 0.05f;
            samples[i] = ((2 * random.NextSingle()) - 1) * level;
        }

        return new AudioBuffer(samples, Rate);
    }
}
