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

    [Theory]
    [InlineData(3)]
    [InlineData(FfmpegEncoder.SplitAboveSeconds + 1)]
    public async Task An_mp3s_tags_in_any_script_are_read_back_by_ffprobe(double seconds)
    {
        // Our own ID3v2.3 tag (MP3s are encoded in this process): plain ASCII and text that needs UTF-16.
        var tags = new Dictionary<string, string>
        {
            ["title"] = "Nuit étoilée · 夜のドライブ 🎵",
            ["comment"] = "ComposerBot receipt 0123456789abcdef",
            ["encoded_by"] = "ComposerBot",
            ["LOOPSTART"] = "0",
            ["LOOPLENGTH"] = "96000",
        };
        var path = _dir.File("tagged.mp3");
        await _encoder.EncodeAsync(Signals.Sine(440, 0.3, seconds), path, AudioFormat.Mp3, 10 << 20, tags);
        foreach (var (key, value) in tags)
        {
            Assert.Equal(value, ExternalTools.Tag(path, key));
        }

        Assert.Equal($"LAME {LameEncoder.Version}", ExternalTools.Run("ffprobe", "-v", "error", "-show_entries", "format_tags=encoder", "-of", "default=noprint_wrappers=1:nokey=1", path).Trim());
        Assert.Equal(seconds, ExternalTools.DurationSeconds(path), 0.06);
    }

    [Fact]
    public async Task An_ffmpeg_started_ahead_writes_the_same_file_and_one_left_unused_is_stopped_and_cleaned_up()
    {
        // FLAC: ffmpeg encodes it (MP3s are encoded in this process, nothing is started ahead for them).
        var audio = Signals.Sine(440, 0.3, 3);
        var tags = new Dictionary<string, string> { ["comment"] = "ComposerBot receipt 0123456789abcdef" };
        Assert.Null(_encoder.Prepare(audio.DurationSeconds, audio.SampleRate, _dir.File("in-process.mp3"), AudioFormat.Mp3, 10 << 20, tags));
        await _encoder.EncodeAsync(audio, _dir.File("plain.flac"), AudioFormat.Flac, 10 << 20, tags);

        // Started before the audio exists, taken by the encode it was started for: the same bytes.
        await using (var prepared = _encoder.Prepare(audio.DurationSeconds, audio.SampleRate, _dir.File("ahead.flac"), AudioFormat.Flac, 10 << 20, tags))
        {
            await Task.Delay(200);
            await _encoder.EncodeAsync(audio, _dir.File("ahead.flac"), AudioFormat.Flac, 10 << 20, tags, prepared);
        }

        Assert.Equal(File.ReadAllBytes(_dir.File("plain.flac")), File.ReadAllBytes(_dir.File("ahead.flac")));

        // Started for other tags (or another bitrate): the encode starts its own, and the one ahead is stopped
        // when disposed, its partial file gone.
        await using (var other = _encoder.Prepare(audio.DurationSeconds, audio.SampleRate, _dir.File("other.flac"), AudioFormat.Flac, 10 << 20, null))
        {
            await _encoder.EncodeAsync(audio, _dir.File("other.flac"), AudioFormat.Flac, 10 << 20, tags, other);
        }

        Assert.Equal(File.ReadAllBytes(_dir.File("plain.flac")), File.ReadAllBytes(_dir.File("other.flac")));
        await using (_encoder.Prepare(audio.DurationSeconds, audio.SampleRate, _dir.File("never.flac"), AudioFormat.Flac, 10 << 20, tags))
        {
        }

        Assert.Equal(["ahead.flac", "other.flac", "plain.flac"], _dir.Files().Order());
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

    [Theory]
    [InlineData(3)]
    [InlineData(FfmpegEncoder.SplitAboveSeconds + 1)]
    public async Task A_cancelled_mp3_encode_stops_and_leaves_nothing_behind(double seconds)
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _encoder.EncodeAsync(Signals.Bursts(seconds, 0.5f), _dir.File("x.mp3"), AudioFormat.Mp3, 10 << 20, cancellationToken: cancelled.Token));
        Assert.Empty(_dir.Files());
    }

    [Theory]
    [InlineData(300_000, 64)]
    [InlineData(210_000, 48)]
    public async Task An_mp3_below_the_bitrate_lame_tags_is_left_to_ffmpeg_and_still_decodes_to_its_exact_length(long limit, int kbps)
    {
        // 64 kb/s is the lowest at 48 kHz where LAME writes its Info frame (encoder delay and padding); below,
        // ffmpeg encodes, writing its Info frame at a higher bitrate than the stream's.
        var audio = Signals.Bursts(30, 0.5f);
        var path = _dir.File("small.mp3");
        var result = await _encoder.EncodeAsync(audio, path, AudioFormat.Mp3, limit, new Dictionary<string, string> { ["title"] = "small" });
        Assert.Equal(kbps, result.BitrateKbps);
        Assert.Equal(kbps >= 64, LameEncoder.HoldsInfoFrame(kbps, audio.SampleRate));
        Assert.StartsWith(kbps >= 64 ? "LAME" : "Lavc", ExternalTools.Run("ffprobe", "-v", "error", "-show_entries", "stream_tags=encoder", "-of", "default=noprint_wrappers=1:nokey=1", path).Trim());
        Assert.Equal("small", ExternalTools.Tag(path, "title"));
        var decoded = _dir.File("small.f32");
        ExternalTools.Run("ffmpeg", "-v", "error", "-i", path, "-f", "f32le", "-ac", "2", decoded);
        Assert.Equal(audio.Samples.Length * sizeof(float), new FileInfo(decoded).Length);
        File.Delete(decoded);
        Assert.Equal(["small.mp3"], _dir.Files());
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
        var ex = await Assert.ThrowsAsync<RenderException>(() => encoder.EncodeAsync(Signals.Sine(440, 0.3, 1), _dir.File("x.ogg"), AudioFormat.Ogg, 1 << 20));
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
