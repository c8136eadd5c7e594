using ComposerBot.Rendering.Encoding;
using ComposerBot.Rendering.Loudness;
using ComposerBot.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace ComposerBot.Rendering.Tests;

public sealed class EncoderTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FfmpegEncoder _encoder = new("ffmpeg", NullLogger<FfmpegEncoder>.Instance);

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("a.mp3", "mp3")]
    [InlineData("a.ogg", "opus")]
    [InlineData("a.opus", "opus")]
    [InlineData("a.flac", "flac")]
    [InlineData("a.wav", "pcm_s16le")]
    public async Task Every_format_writes_a_file_that_ffmpeg_decodes_at_the_right_length(string name, string codec)
    {
        var path = _dir.File(name);
        var result = await _encoder.EncodeAsync(Signals.Sine(440, 0.3, 3), path, AudioFormats.FromPath(path), 10 << 20);
        Assert.Equal(codec, ExternalTools.CodecName(path));
        Assert.Equal(3.0, ExternalTools.DurationSeconds(path), 0.06);
        Assert.Equal(new FileInfo(path).Length, result.Bytes);
        Assert.Equal([name], _dir.Files());
    }

    [Fact]
    public async Task Metadata_is_written_into_the_file()
    {
        var path = _dir.File("loop.ogg");
        await _encoder.EncodeAsync(Signals.Sine(440, 0.3, 2), path, AudioFormat.Ogg, 10 << 20, new Dictionary<string, string> { ["LOOPSTART"] = "4800" });
        Assert.Equal("4800", ExternalTools.Tag(path, "LOOPSTART"));
    }

    [Fact]
    public async Task An_ffmpeg_started_ahead_writes_the_same_file_and_one_left_unused_is_stopped_and_cleaned_up()
    {
        var audio = Signals.Sine(440, 0.3, 3);
        var tags = new Dictionary<string, string> { ["comment"] = "ComposerBot receipt 0123456789abcdef" };
        await _encoder.EncodeAsync(audio, _dir.File("plain.mp3"), AudioFormat.Mp3, 10 << 20, tags);

        // Started before the audio exists, taken by the encode it was started for: the same bytes.
        await using (var prepared = _encoder.Prepare(audio.DurationSeconds, audio.SampleRate, _dir.File("ahead.mp3"), AudioFormat.Mp3, 10 << 20, tags))
        {
            await Task.Delay(200);
            await _encoder.EncodeAsync(audio, _dir.File("ahead.mp3"), AudioFormat.Mp3, 10 << 20, tags, prepared);
        }

        Assert.Equal(File.ReadAllBytes(_dir.File("plain.mp3")), File.ReadAllBytes(_dir.File("ahead.mp3")));

        // Started for other tags (or another bitrate): the encode starts its own, and the one ahead is stopped
        // when disposed, its partial file gone.
        await using (var other = _encoder.Prepare(audio.DurationSeconds, audio.SampleRate, _dir.File("other.mp3"), AudioFormat.Mp3, 10 << 20, null))
        {
            await _encoder.EncodeAsync(audio, _dir.File("other.mp3"), AudioFormat.Mp3, 10 << 20, tags, other);
        }

        Assert.Equal(File.ReadAllBytes(_dir.File("plain.mp3")), File.ReadAllBytes(_dir.File("other.mp3")));
        await using (_encoder.Prepare(audio.DurationSeconds, audio.SampleRate, _dir.File("never.mp3"), AudioFormat.Mp3, 10 << 20, tags))
        {
        }

        Assert.Equal(["ahead.mp3", "other.mp3", "plain.mp3"], _dir.Files().Order());
    }

    [Fact]
    public async Task A_lossy_format_steps_its_bitrate_down_to_fit_the_byte_limit()
    {
        var audio = Signals.Bursts(60, 0.5f);
        var path = _dir.File("long.mp3");
        var result = await _encoder.EncodeAsync(audio, path, AudioFormat.Mp3, 600_000);
        Assert.True(result.Bytes <= 600_000, $"{result.Bytes} bytes");
        Assert.True(result.BitrateKbps < 192, $"{result.BitrateKbps} kb/s");
        Assert.Equal(60, ExternalTools.DurationSeconds(path), 0.1);
    }

    [Fact]
    public async Task A_lossless_file_over_the_limit_is_refused_and_leaves_nothing_behind()
    {
        var ex = await Assert.ThrowsAsync<RenderException>(() => _encoder.EncodeAsync(Signals.Sine(440, 0.3, 10), _dir.File("big.wav"), AudioFormat.Wav, 100_000));
        Assert.Contains("choose mp3 or ogg", ex.Message);
        Assert.Empty(_dir.Files());
    }

    [Fact]
    public async Task An_impossible_limit_is_refused_and_leaves_nothing_behind()
    {
        var ex = await Assert.ThrowsAsync<RenderException>(() => _encoder.EncodeAsync(Signals.Bursts(30, 0.5f), _dir.File("x.mp3"), AudioFormat.Mp3, 20_000));
        Assert.Contains("does not fit in 20,000 bytes", ex.Message);
        Assert.Empty(_dir.Files());
    }

    [Fact]
    public async Task A_missing_ffmpeg_is_named()
    {
        var encoder = new FfmpegEncoder("/nonexistent/ffmpeg", NullLogger<FfmpegEncoder>.Instance);
        var ex = await Assert.ThrowsAsync<RenderException>(() => encoder.EncodeAsync(Signals.Sine(440, 0.3, 1), _dir.File("x.mp3"), AudioFormat.Mp3, 1 << 20));
        Assert.Contains("ffmpeg was not found", ex.Message);
        Assert.Empty(_dir.Files());
    }

    [Theory]
    [InlineData("x.aac")]
    [InlineData("x")]
    public void An_unknown_extension_is_refused(string name) =>
        Assert.Contains("unknown output extension", Assert.Throws<RenderException>(() => AudioFormats.FromPath(name)).Message);

    [Fact]
    public async Task Our_meter_agrees_with_ffmpeg_ebur128_within_half_a_lu()
    {
        var audio = Signals.Concat(Signals.Bursts(10, 0.3f), Signals.Sine(220, 0.05, 5), Signals.Bursts(5, 0.8f, seed: 9));
        var path = _dir.File("meter.wav");
        await _encoder.EncodeAsync(audio, path, AudioFormat.Wav, 100 << 20);
        var ours = LoudnessReport.Measure(audio);
        var (lufs, peak) = ExternalTools.Ebur128(path);
        Assert.Equal(lufs, ours.IntegratedLufs, 0.5);
        Assert.Equal(peak, ours.TruePeakDbtp, 0.5);
    }
}
