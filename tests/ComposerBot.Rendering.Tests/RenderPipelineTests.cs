using ComposerBot.Music;
using ComposerBot.Music.Midi;
using ComposerBot.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ComposerBot.Rendering.Tests;

public sealed class RenderPipelineTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ServiceProvider _services = new ServiceCollection()
        .AddLogging()
        .AddComposerRendering(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rendering:SoundFont"] = ExternalTools.SystemSoundFont,
        }).Build())
        .BuildServiceProvider();

    public void Dispose()
    {
        _services.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_stinger_gets_its_synthesizer_prepared_while_its_melody_is_written_and_a_long_piece_does_not()
    {
        var engine = _services.GetRequiredService<Synthesis.FluidSynthEngine>();
        var pipeline = _services.GetRequiredService<RenderPipeline>();
        var presets = Synthesis.ScoreSynthesizer.Presets(TestScores.Band(2)).ToList();
        await pipeline.PreloadAsync(presets, 60, CancellationToken.None);
        Assert.Equal(0, engine.PreparedCount);
        await pipeline.PreloadAsync(presets, 4, CancellationToken.None);
        Assert.Equal(1, engine.PreparedCount);

        // The render (every track on one synthesizer) takes it.
        await pipeline.RenderAsync(TestScores.Band(2), new RenderRequest(_dir.File("stinger.mp3")));
        Assert.Equal(0, engine.PreparedCount);
    }

    [Fact]
    public async Task A_multi_track_score_becomes_a_normalised_mp3_and_a_piano_roll()
    {
        var score = TestScores.Band(20);
        var phases = new List<RenderPhase>();
        var progress = new Collect(p => phases.Add(p.Phase));
        var result = await _services.GetRequiredService<RenderPipeline>().RenderAsync(
            score, new RenderRequest(_dir.File("band.mp3")) { PianoRollPath = _dir.File("band.png") }, progress);

        var (lufs, peak) = ExternalTools.Ebur128(result.OutputPath);
        Assert.InRange(lufs, -15, -13);
        Assert.True(peak <= -1.0, $"true peak {peak} dBTP");
        Assert.Equal(score.DurationSeconds, ExternalTools.DurationSeconds(result.OutputPath), 0.3);
        Assert.True(new FileInfo(_dir.File("band.png")).Length > 10_000);
        Assert.Equal([RenderPhase.Synthesizing, RenderPhase.Normalizing, RenderPhase.Encoding, RenderPhase.Drawing], phases.Distinct());
        Assert.Equal(["band.mp3", "band.png"], _dir.Files());
    }

    [Fact]
    public async Task A_long_render_streamed_through_disk_sounds_as_the_in_memory_render_does()
    {
        // The same pipeline, one streaming everything over 10 s: the two WAVs must agree sample for sample.
        using var streaming = new ServiceCollection()
            .AddLogging()
            .AddComposerRendering(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Rendering:SoundFont"] = ExternalTools.SystemSoundFont,
                ["Rendering:StreamAboveSeconds"] = "10",
            }).Build())
            .BuildServiceProvider();
        var score = TestScores.Band(30);
        var phases = new List<RenderPhase>();
        var streamed = await streaming.GetRequiredService<RenderPipeline>().RenderAsync(
            score, new RenderRequest(_dir.File("streamed.wav")) { PianoRollPath = _dir.File("streamed.png") }, new Collect(p => phases.Add(p.Phase)));
        var held = await _services.GetRequiredService<RenderPipeline>().RenderAsync(score, new RenderRequest(_dir.File("held.wav")));

        Assert.Equal([RenderPhase.Synthesizing, RenderPhase.Normalizing, RenderPhase.Encoding, RenderPhase.Drawing], phases.Distinct());
        Assert.Equal(held.DurationSeconds, streamed.DurationSeconds, 6);
        Assert.Equal(held.Loudness.IntegratedLufs, streamed.Loudness.IntegratedLufs, 3);
        Assert.Equal(held.Loudness.TruePeakDbtp, streamed.Loudness.TruePeakDbtp, 3);
        var a = WavFile.ReadSamples(_dir.File("held.wav")).Samples;
        var b = WavFile.ReadSamples(_dir.File("streamed.wav")).Samples;
        Assert.Equal(a.Length, b.Length);
        Assert.True(a.Zip(b).Max(p => Math.Abs(p.First - p.Second)) <= 1, "16-bit samples differ by more than one step");
        Assert.InRange(ExternalTools.Ebur128(streamed.OutputPath).IntegratedLufs, -14.2, -13.8);
        Assert.True(new FileInfo(_dir.File("streamed.png")).Length > 10_000);
    }

    [Fact]
    public async Task An_unwritable_output_fails_before_any_work()
    {
        var pipeline = _services.GetRequiredService<RenderPipeline>();
        var ex = await Assert.ThrowsAsync<RenderException>(() => pipeline.RenderAsync(TestScores.Band(4), new RenderRequest("/proc/nope/out.mp3")));
        Assert.StartsWith("cannot write /proc/nope/out.mp3", ex.Message);
    }

    [Fact]
    public async Task Without_normalising_the_level_is_the_synthesizers_own()
    {
        var pipeline = _services.GetRequiredService<RenderPipeline>();
        var result = await pipeline.RenderAsync(MidiFileReader.Read(MidiFileWriter.ToBytes(TestScores.Band(6))), new RenderRequest(_dir.File("raw.flac")) { Normalize = false });
        Assert.False(result.Normalized);
        Assert.True(result.Loudness.IntegratedLufs < -16, $"{result.Loudness.IntegratedLufs} LUFS");
        Assert.Equal(ExternalTools.Ebur128(result.OutputPath).IntegratedLufs, result.Loudness.IntegratedLufs, 0.5);
    }

    [Fact]
    public async Task A_loop_sounds_as_the_middle_of_its_endless_repetition()
    {
        // A reference made the long way: three passes synthesized one after another, the middle one kept. The
        // pipeline renders one pass and wraps its releases and reverb into its start; the two must agree (to
        // FluidSynth's chorus, which is not quite linear), the start of the loop above all.
        var score = TestScores.Band(8);
        var loop = 4L * 4 * TestScores.Ppq;
        var result = await _services.GetRequiredService<RenderPipeline>().RenderAsync(
            score, new RenderRequest(_dir.File("loop.wav")) { LoopLengthTicks = loop, Normalize = false });
        var (rendered, rate) = WavFile.ReadStereo(result.OutputPath);

        var thrice = score with
        {
            Tracks = score.Tracks.Select(t => t with
            {
                Notes = Track.Sort(Enumerable.Range(0, 3).SelectMany(k => t.Notes.Select(n => n with { Start = n.Start + (k * loop) }))),
            }).ToValueList(),
        };
        var synthesizer = _services.GetRequiredService<Synthesis.ScoreSynthesizer>();
        var (reference, _) = synthesizer.RenderUntrimmed(thrice);
        var frames = (int)Math.Round(score.TempoMap.ToSeconds(loop) * rate);
        Assert.Equal(frames * 2, rendered.Length);
        Assert.Equal(frames, result.LoopSamples!.Value.Length);
        var middle = reference.AsSpan(frames * 2, frames * 2).ToArray();

        double Db(int from, int count)
        {
            double error = 0, signal = 0;
            for (var i = from * 2; i < (from + count) * 2; i++)
            {
                error += (rendered[i] - middle[i]) * (rendered[i] - middle[i]);
                signal += middle[i] * middle[i];
            }

            return 10 * Math.Log10(error / signal);
        }

        var start = Db(0, rate);
        var whole = Db(0, frames);
        Assert.True(start < -40, $"the loop's first second differs from the repetition's by {start:0.0} dB");
        Assert.True(whole < -40, $"the loop differs from the repetition's middle pass by {whole:0.0} dB");
    }

    private sealed class Collect(Action<RenderProgress> action) : IProgress<RenderProgress>
    {
        public void Report(RenderProgress value) => action(value);
    }
}
