using System.Text.Json;
using ComposerBot.Composition.Prompts;
using ComposerBot.Composition.Requests;
using ComposerBot.Rendering;
using ComposerBot.Rendering.Encoding;
using ComposerBot.TestSupport;

namespace ComposerBot.Studio.Tests;

[Collection(StudioGroup.Name)]
public sealed class TrackComposerTests(StudioFixture studio) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<ComposeResult> Compose(CompositionRequest request, string name, AudioFormat format = AudioFormat.Wav, string? prompt = null) =>
        studio.Composer.ComposeAsync(new ComposeOrder(request, prompt is null ? null : PromptParser.Parse(prompt), _dir.Path, name, format));

    public static TheoryData<Style> Styles => [.. Enum.GetValues<Style>()];

    [Theory]
    [MemberData(nameof(Styles))]
    public async Task Every_styles_loop_passes_the_seam_check_and_carries_its_loop_points(Style style)
    {
        var result = await Compose(new CompositionRequest { Style = style, Loop = true, LengthBars = 4, Seed = 2 }, $"loop-{style}", AudioFormat.Ogg);
        var audio = PcmFile.Read(result.AudioPath);
        var (seam, interior) = LoopSeam.Measure(audio);
        Assert.True(seam <= interior, $"{style}: seam {seam:0.0000} above the interior's {interior:0.0000}");
        Assert.Equal(audio.Frames, result.Receipt.LoopLengthSamples);
        Assert.Equal(0, result.Receipt.LoopStartSample);
        Assert.Equal(result.Receipt.LoopLengthSamples.ToString(), ExternalTools.Tag(result.AudioPath, "LOOPLENGTH"));
        Assert.Equal(-14, result.Receipt.LoudnessLufs, 0.5);
    }

    [Theory]
    [MemberData(nameof(Styles))]
    public async Task Every_style_after_its_mix_bus_is_at_minus_14_lufs_with_no_true_peak_over_minus_1_dbtp(Style style)
    {
        var result = await Compose(new CompositionRequest { Style = style, LengthBars = 16, Seed = 5 }, $"peak-{style}", AudioFormat.Flac);
        var (lufs, peak) = ExternalTools.Ebur128(result.AudioPath);
        Assert.InRange(lufs, -14.6, -13.4);
        Assert.True(peak <= -1.0, $"{style}: ffmpeg measured a true peak of {peak} dBTP");
    }

    [Fact]
    public void The_seam_check_fails_a_loop_that_jumps()
    {
        // A 200 Hz tone (two whole periods per 10 ms window, so neighbouring windows match) that fades in
        // from silence: inside, every window is like the next; at the seam, full level meets silence.
        var samples = new float[48_000 * 2];
        for (var i = 0; i < 48_000; i++)
        {
            samples[2 * i] = samples[(2 * i) + 1] = (float)(i / 48_000.0 * Math.Sin(2 * Math.PI * 200 * i / 48_000));
        }

        Assert.False(LoopSeam.Passes(new AudioBuffer(samples, 48_000)));
    }

    [Theory]
    [InlineData(3.0)]
    [InlineData(4.0)]
    [InlineData(7.3)]
    public async Task A_stinger_is_exact_to_within_20_ms_and_ends_on_its_hit(double seconds)
    {
        var result = await Compose(new CompositionRequest { Style = Style.Rock, Stinger = true, LengthSeconds = seconds }, $"stinger-{seconds}", AudioFormat.Ogg);
        Assert.Equal(seconds, ExternalTools.DurationSeconds(result.AudioPath), 0.02);
        Assert.Equal(seconds, result.Receipt.DurationS, 0.001);
        Assert.NotNull(result.Receipt.TransitionPointMs);
        Assert.InRange(result.Receipt.TransitionPointMs!.Value, 0, seconds * 1000);

        // The hit is the loudest moment: the last quarter of the file is louder than the first.
        var audio = PcmFile.Read(result.AudioPath);
        var quarter = audio.Samples.Length / 4;
        double Rms(int from) => Math.Sqrt(audio.Samples.Skip(from).Take(quarter).Average(s => (double)s * s));
        Assert.True(Rms(3 * quarter) > Rms(0), "the end is not louder than the start");
    }

    [Fact]
    public async Task Stems_sum_to_the_mix()
    {
        var result = await Compose(new CompositionRequest { Style = Style.Synthwave, LengthBars = 4, Stems = true }, "stems");
        var mix = PcmFile.Read(result.AudioPath);
        var stems = result.Receipt.Files.Where(f => f.Key.StartsWith("stem_", StringComparison.Ordinal)).Select(f => PcmFile.Read(Path.Combine(_dir.Path, f.Value))).ToList();
        Assert.Equal(4, stems.Count);
        double error = 0, power = 0;
        for (var i = 0; i < mix.Samples.Length; i++)
        {
            var sum = stems.Sum(s => i < s.Samples.Length ? s.Samples[i] : 0);
            error += (sum - mix.Samples[i]) * (sum - mix.Samples[i]);
            power += mix.Samples[i] * mix.Samples[i];
        }

        // Only the 16-bit quantisation of the five files stands between them.
        Assert.True(10 * Math.Log10(error / power) < -70, $"stems differ from the mix by {10 * Math.Log10(error / power):0.0} dB");
    }

    [Fact]
    public async Task A_stinger_can_come_with_an_obs_transition_whose_first_and_last_frames_are_empty()
    {
        var result = await studio.Composer.ComposeAsync(new ComposeOrder(new CompositionRequest { Style = Style.Synthwave, Stinger = true, LengthSeconds = 3 }, null, _dir.Path, "obs", AudioFormat.Ogg) { Webm = true });
        var webm = Path.Combine(_dir.Path, result.Receipt.Files["webm"]);
        var probe = ExternalTools.Run("ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height:stream_tags=alpha_mode", "-of", "compact", webm);
        Assert.Contains("codec_name=vp9|width=1920|height=1080|tag:alpha_mode=1", probe);
        Assert.Contains("codec_name=opus", probe);
        Assert.Equal(3, ExternalTools.DurationSeconds(webm), 0.05);

        var frames = AlphaFrames(webm);
        Assert.Equal(0, frames[0].Max());
        Assert.Equal(0, frames[^1].Max());
        Assert.True(frames.Count(f => f.Max() == 0) < frames.Count / 2, "the wipe is hardly visible");
        var hit = (int)Math.Round(result.Receipt.TransitionPointMs!.Value / 1000 * 30);
        Assert.True(frames[hit].Min() > 250, "the wipe does not cover the screen at the transition point");
    }

    [Fact]
    public async Task A_transition_video_is_refused_for_a_piece_that_is_not_a_stinger() =>
        Assert.Contains("for stingers only", (await Assert.ThrowsAsync<CompositionException>(() => studio.Composer.ComposeAsync(
            new ComposeOrder(new CompositionRequest { Style = Style.Rock, LengthSeconds = 20 }, null, _dir.Path, "no", AudioFormat.Ogg) { Webm = true }))).Message);

    /// <summary>The alpha plane of every frame, decoded by libvpx (which keeps VP9 alpha), scaled to 64x36.</summary>
    private static List<byte[]> AlphaFrames(string webm)
    {
        var raw = Path.ChangeExtension(webm, ".alpha");
        ExternalTools.Run("ffmpeg", "-v", "error", "-c:v", "libvpx-vp9", "-i", webm, "-vf", "alphaextract,scale=64:36", "-f", "rawvideo", "-pix_fmt", "gray", raw);
        var bytes = File.ReadAllBytes(raw);
        File.Delete(raw);
        return [.. bytes.Chunk(64 * 36)];
    }

    [Fact]
    public async Task The_same_prompt_and_seed_give_identical_midi_and_audio()
    {
        var request = PromptParser.Parse("happy folk jig 12 s", seed: 9).Request;
        var first = await Compose(request, "first", AudioFormat.Wav, "happy folk jig 12 s");
        var second = await Compose(request, "second", AudioFormat.Wav, "happy folk jig 12 s");
        Assert.Equal(await File.ReadAllBytesAsync(first.MidiPath), await File.ReadAllBytesAsync(second.MidiPath));
        Assert.Equal(await File.ReadAllBytesAsync(first.AudioPath), await File.ReadAllBytesAsync(second.AudioPath));
        Assert.Equal(first.Receipt.ReceiptId, second.Receipt.ReceiptId);
        var third = await Compose(request with { Seed = 10 }, "third", AudioFormat.Wav, "happy folk jig 12 s");
        Assert.NotEqual(await File.ReadAllBytesAsync(first.MidiPath), await File.ReadAllBytesAsync(third.MidiPath));
    }

    [Fact]
    public async Task The_receipt_has_every_field_a_claim_needs()
    {
        var result = await Compose(PromptParser.Parse("calm piano 20 s").Request, "receipt", AudioFormat.Mp3, "calm piano 20 s");
        var json = JsonDocument.Parse(await File.ReadAllTextAsync(result.ReceiptPath)).RootElement;
        foreach (var field in new[] { "request", "parsed_from", "seed", "model_sha256", "duration_s", "loudness_lufs", "true_peak_dbtp", "key", "tempo_bpm", "meter", "style", "loop_start_sample", "loop_length_samples", "originality", "licence" })
        {
            Assert.True(json.TryGetProperty(field, out _), $"receipt lacks {field}");
        }

        Assert.Equal("calm piano 20 s", json.GetProperty("parsed_from").GetString());
        Assert.Equal(64, json.GetProperty("model_sha256").GetString()!.Length);
        Assert.True(json.GetProperty("originality").GetProperty("checked").GetBoolean());
        Assert.Equal(20, json.GetProperty("duration_s").GetDouble(), 0.3);
        Assert.Equal(["receipt.json", "receipt.mid", "receipt.mp3", "receipt.png"], _dir.Files());
    }

    [Fact]
    public void A_missing_model_file_is_named_with_the_way_to_rebuild_it()
    {
        var store = new ModelStore(_dir.Path);
        var ex = Assert.Throws<ModelException>(() => store.NGram);
        Assert.Contains($"model file missing: {Path.Combine(_dir.Path, ModelStore.NGramFile)}", ex.Message);
        Assert.Contains("build-models", ex.Message);
    }

    [Fact]
    public async Task An_opening_is_kept_note_for_note_and_changes_the_receipt()
    {
        var request = new CompositionRequest { Style = Style.Piano, Key = new Music.KeySignature(0, Music.KeyMode.Major), Meter = new Music.MeterChange(0, 4, 4), Tempo = 120, LengthBars = 12, Seed = 8 };
        var opening = Melodies.Quarters([60, 62, 64, 65, 67, 65, 64, 62], new Music.KeySignature(0, Music.KeyMode.Major));
        var order = new ComposeOrder(request, null, _dir.Path, "opened", AudioFormat.Ogg) { Opening = opening };

        var sketch = studio.Composer.Sketch(order);
        Assert.Equal(opening.Melody, sketch.FirstBars(opening.Bars).Melody);
        Assert.NotEqual(opening.Melody, studio.Composer.Sketch(order with { Opening = null }).FirstBars(opening.Bars).Melody);

        var plain = await studio.Composer.ComposeAsync(order with { Opening = null, Name = "plain" });
        var opened = await studio.Composer.ComposeAsync(order);
        Assert.NotEqual(plain.Receipt.ReceiptId, opened.Receipt.ReceiptId);

        var minor = order with { Opening = opening with { Key = new Music.KeySignature(0, Music.KeyMode.Minor) } };
        Assert.Contains("the melody to continue is in", Assert.Throws<CompositionException>(() => studio.Composer.Sketch(minor)).Message, StringComparison.Ordinal);
    }
}
