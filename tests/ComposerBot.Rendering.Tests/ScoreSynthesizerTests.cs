using ComposerBot.Music;
using ComposerBot.Rendering.Synthesis;
using ComposerBot.TestSupport;

namespace ComposerBot.Rendering.Tests;

[Collection(SynthGroup.Name)]
public class ScoreSynthesizerTests(SynthFixture synth)
{
    [Fact]
    public void Rendering_the_same_score_twice_gives_bit_identical_pcm()
    {
        var score = TestScores.Band(8);
        var first = synth.Synthesizer().Render(score);
        var second = synth.Synthesizer().Render(score);
        Assert.True(first.Samples.AsSpan().SequenceEqual(second.Samples), "the two renders differ");
    }

    [Fact]
    public void A_render_and_its_normalising_give_the_same_samples_after_a_longer_one_left_its_buffers_in_the_pool()
    {
        var shortScore = TestScores.Band(4);
        var before = synth.Synthesizer().Render(shortScore);
        var normalizedBefore = Loudness.LoudnessNormalizer.Normalize(before, new Loudness.LoudnessTarget()).Audio;

        // A longer render and normalising return larger buffers, full of other samples, to the pool.
        Loudness.LoudnessNormalizer.Normalize(synth.Synthesizer().Render(TestScores.Band(20)), new Loudness.LoudnessTarget());

        var after = synth.Synthesizer().Render(shortScore);
        Assert.True(before.Samples.AsSpan().SequenceEqual(after.Samples), "the render read what a longer one left behind");
        var normalizedAfter = Loudness.LoudnessNormalizer.Normalize(after, new Loudness.LoudnessTarget()).Audio;
        Assert.True(normalizedBefore.Samples.AsSpan().SequenceEqual(normalizedAfter.Samples), "the normaliser read what a longer one left behind");
    }

    [Fact]
    public void Synthesizers_prepared_ahead_render_the_same_samples_as_fresh_ones()
    {
        var score = TestScores.Band(8);
        var synthesizer = synth.Synthesizer();
        while (synth.Engine.PreparedCount > 0)
        {
            synth.Engine.CreateSynth().Dispose();
        }

        var fresh = synthesizer.Render(score);

        // Prepared with the score's presets and two it never plays, selected on channels it has no notes on.
        synthesizer.Preload(ScoreSynthesizer.Presets(score).Append(new PresetRef(0, 100, false)).Append(new PresetRef(128, 48, true)), 2);
        Assert.Equal(2, synth.Engine.PreparedCount);
        var prepared = synthesizer.Render(score);

        // The whole score plays on one synthesizer (its reverb and chorus computed once): the render took one.
        Assert.Equal(1, synth.Engine.PreparedCount);
        Assert.True(fresh.Samples.AsSpan().SequenceEqual(prepared.Samples), "a prepared synthesizer rendered other samples");

        // However often and for however many it is asked, the engine keeps no more than its few.
        for (var i = 0; i < 3; i++)
        {
            synth.Engine.Prepare(ScoreSynthesizer.Presets(score), 100);
        }

        Assert.Equal(FluidSynthEngine.MaxPrepared, synth.Engine.PreparedCount);
    }

    [Fact]
    public void The_audio_lasts_as_long_as_the_score_plus_a_short_faded_tail()
    {
        var score = TestScores.Band(10);
        var audio = synth.Synthesizer().Render(score);
        Assert.Equal(48_000, audio.SampleRate);
        Assert.InRange(audio.DurationSeconds - score.DurationSeconds, 0, new SynthSettings().KeptTailSeconds + 0.001);
        Assert.True(Signals.Rms(audio) > 0.01, "the render is silent");
        Assert.Equal(0f, audio.Samples[^1], 4);
    }

    [Fact]
    public void Drums_play_on_their_own_channel()
    {
        var drums = new Track("Drums", 0, Track.DrumChannel, true, ValueList.Of(new Note(36, 0, 240, 120), new Note(38, 480, 240, 120)));
        var audio = synth.Synthesizer().Render(new Score(TempoMap.Constant(480, 120), [drums]));
        Assert.True(Signals.Rms(audio) > 0.005);
    }

    [Fact]
    public void Overlapping_notes_of_one_pitch_sound_until_the_last_one_ends()
    {
        // Two overlapping Cs: the first ends at 0.5 s but the second holds until 2 s, so 1-2 s still sounds.
        var notes = ValueList.Of(new Note(60, 0, 480, 100), new Note(60, 240, 1680, 100));
        var audio = synth.Synthesizer().Render(new Score(TempoMap.Constant(480, 120), [new Track("Organ", 19, 0, false, notes)]));
        var window = new AudioBuffer(audio.Samples[(48_000 * 2)..(48_000 * 2 * 2 - 2000)], 48_000);
        Assert.True(Signals.Rms(window) > 0.01, "the held note was cut by the first note's note-off");
    }

    [Fact]
    public void A_score_without_notes_is_refused() =>
        Assert.Contains("no notes", Assert.Throws<RenderException>(() => synth.Synthesizer().Render(new Score(TempoMap.Constant(480, 120), []))).Message);

    [Fact]
    public void A_score_longer_than_the_limit_is_refused_before_rendering()
    {
        var hours = new Score(TempoMap.Constant(480, 120), [new Track("", 0, 0, false, ValueList.Of(new Note(60, 0, 480L * 2 * 3600 * 3, 90)))]);
        var ex = Assert.Throws<RenderException>(() => synth.Synthesizer().Render(hours));
        Assert.Contains("lasts 3:00:00, over the limit of 20:00", ex.Message);
    }

    [Fact]
    public void Too_many_tracks_are_refused()
    {
        var tracks = Enumerable.Range(0, 5).Select(i => new Track("", 0, 0, false, ValueList.Of(new Note(60, 0, 480, 90))));
        var ex = Assert.Throws<RenderException>(() => synth.Synthesizer(new RenderLimits { MaxTracks = 4 }).Render(new Score(TempoMap.Constant(480, 120), tracks)));
        Assert.Contains("5 tracks", ex.Message);
    }

    [Fact]
    public void Cancellation_stops_a_render() =>
        Assert.Throws<OperationCanceledException>(() => synth.Synthesizer().Render(TestScores.Band(20), null, new CancellationToken(canceled: true)));

    [Fact]
    public void Cancelled_halfway_a_render_stops_with_a_cancellation()
    {
        using var cancel = new CancellationTokenSource();
        var reached = 0.0;
        var progress = new OnThisThread(p =>
        {
            reached = p;
            if (p >= 0.5)
            {
                cancel.Cancel();
            }
        });
        var ex = Assert.ThrowsAny<OperationCanceledException>(() => synth.Synthesizer().Render(TestScores.Band(20), progress, cancel.Token));
        Assert.Equal(cancel.Token, ex.CancellationToken);
        Assert.InRange(reached, 0.5, 0.6);
    }

    [Fact]
    public void A_sink_that_fails_stops_the_render_its_own_exception_comes_out_and_the_synthesizer_renders_on()
    {
        var score = TestScores.Band(20);
        var synthesizer = synth.Synthesizer();
        var blocks = 0;
        var ex = Assert.Throws<IOException>(() => synthesizer.RenderBlocks(score, synthesizer.RenderLength(score), _ =>
        {
            if (++blocks == 10)
            {
                throw new IOException("the spool's disk is full");
            }
        }));
        Assert.Equal("the spool's disk is full", ex.Message);
        Assert.Equal(10, blocks);
        Assert.True(Signals.Rms(synthesizer.Render(TestScores.Band(4))) > 0.01, "the synthesizer rendered silence after the failure");
    }

    /// <summary>Progress reported on the rendering thread itself, as it happens (not posted like <see cref="Progress{T}"/>).</summary>
    private sealed class OnThisThread(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }

    [Fact]
    public void The_tail_is_cut_where_it_falls_silent_and_faded()
    {
        var samples = new float[2 * 1000];
        Array.Fill(samples, 0.5f, 0, 2 * 600);
        var trimmed = TailPlan.For(samples, 500, 200).Apply(samples);
        Assert.Equal(2 * 600, trimmed.Length);
        Assert.Equal(0.5f, trimmed[2 * 499]);
        Assert.True(trimmed[2 * 550] < 0.5f && trimmed[2 * 550] > 0);
        Assert.Equal(0f, trimmed[^1], 6);
    }
}
