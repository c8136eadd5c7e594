using System.Globalization;
using System.Runtime.InteropServices;
using ComposerBot.Rendering.Encoding;
using ComposerBot.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace ComposerBot.Rendering.Tests;

public sealed class Mp3SpliceTests : IDisposable
{
    private const int Rate = 48_000;
    private readonly TempDirectory _dir = new();
    private readonly FfmpegEncoder _encoder = new("ffmpeg", NullLogger<FfmpegEncoder>.Instance);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_tag_checksum_is_crc_16_arc() =>
        // The check value of CRC-16/ARC in the catalogue of parametrised CRC algorithms (R. Williams, G. Cook).
        Assert.Equal(0xBB3D, Mp3Splice.Crc16("123456789"u8));

    [Fact]
    public void The_checksum_of_every_byte_value_in_any_order_is_the_bit_by_bit_one()
    {
        // The definition, one bit at a time, against the table the encoder path uses.
        static ushort BitByBit(ReadOnlySpan<byte> data)
        {
            var crc = 0;
            foreach (var value in data)
            {
                crc ^= value;
                for (var bit = 0; bit < 8; bit++)
                {
                    crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xA001 : crc >> 1;
                }
            }

            return (ushort)crc;
        }

        var data = new byte[64 * 1024];
        new Random(19).NextBytes(data);
        Enumerable.Range(0, 256).Select(i => (byte)i).ToArray().CopyTo(data, 0);
        for (var length = 0; length <= data.Length; length = (length * 2) + 1)
        {
            Assert.Equal(BitByBit(data.AsSpan(0, length)), Mp3Splice.Crc16(data.AsSpan(0, length)));
        }
    }

    [Fact]
    public async Task An_mp3_encoded_in_halves_decodes_like_one_encoded_in_one_pass()
    {
        // Half a minute: transients (short blocks for the encoder) over a chord, the channels different.
        var audio = Music(30);
        var halves = _dir.File("halves.mp3");
        await _encoder.EncodeAsync(audio, halves, AudioFormat.Mp3, 10 << 20, new Dictionary<string, string> { ["title"] = "test" });
        var single = OnePass(audio, "single.mp3");

        // The rewritten LAME tag's delay and padding trim the decode to exactly the input, as one pass's do;
        // ffprobe trusts the tag (its CRC holds) and reads the title from the ID3 tag.
        var (joined, whole) = (Decode(halves), Decode(single));
        Assert.Equal(audio.Samples.Length, whole.Length);
        Assert.Equal(audio.Samples.Length, joined.Length);
        Assert.Equal(ExternalTools.DurationSeconds(single), ExternalTools.DurationSeconds(halves));
        Assert.Equal($"LAME{LameEncoder.Version}", ExternalTools.Run("ffprobe", "-v", "error", "-show_entries", "stream_tags=encoder", "-of", "default=noprint_wrappers=1:nokey=1", halves).Trim());
        Assert.Equal("test", ExternalTools.Tag(halves, "title"));

        // As close to the source as one pass, at the seam as elsewhere.
        var seam = (int)(audio.Frames / 2 / Mp3Splice.SamplesPerFrame);
        var (joinedSnr, wholeSnr) = (BlockSnr(joined, audio.Samples), BlockSnr(whole, audio.Samples));
        Assert.InRange(Overall(joined, audio.Samples), Overall(whole, audio.Samples) - 0.1, double.MaxValue);
        var nearSeam = joinedSnr.Skip(seam - 30).Take(60).Min();
        Assert.True(nearSeam >= wholeSnr.Min() - 1, $"a block near the seam decodes at {nearSeam:0.0} dB SNR; one pass's worst is {wholeSnr.Min():0.0} dB");
        Assert.Equal(["halves.mp3", "single.mp3"], _dir.Files().Order());
    }

    [Fact]
    public void Halves_join_at_a_frame_near_the_middle_and_other_streams_are_refused()
    {
        var audio = Music(20);
        var seam = (int)(audio.Frames / 2 / Mp3Splice.SamplesPerFrame);
        var cut = seam * Mp3Splice.SamplesPerFrame;
        var first = OnePass(Slice(audio, 0, cut + (Mp3Splice.OverrunFrames * Mp3Splice.SamplesPerFrame)), "first.mp3");
        var second = OnePass(Slice(audio, cut - (Mp3Splice.PrerollFrames * Mp3Splice.SamplesPerFrame), (int)audio.Frames), "second.mp3", "-id3v2_version", "0", "-write_xing", "0");
        var joined = Mp3Splice.Join(File.ReadAllBytes(first), File.ReadAllBytes(second), seam, audio.Frames);
        Assert.NotNull(joined);

        // As many frames as one pass over the whole writes, the Info frame first.
        static int FrameCount(byte[] file) => Mp3Splice.Frames(file, file.AsSpan().IndexOf("Info"u8) - 36)!.Count;
        Assert.Equal(FrameCount(File.ReadAllBytes(OnePass(audio, "whole.mp3"))), FrameCount(joined));

        // Not layer III frames, a mono stream, or a seam past the end: nothing to join.
        Assert.Null(Mp3Splice.Join(new byte[4096], File.ReadAllBytes(second), seam, audio.Frames));
        var mono = OnePass(audio, "mono.mp3", "-ac", "1");
        Assert.Null(Mp3Splice.Join(File.ReadAllBytes(mono), File.ReadAllBytes(second), seam, audio.Frames));
        Assert.Null(Mp3Splice.Join(File.ReadAllBytes(first), File.ReadAllBytes(second), seam * 4, audio.Frames));
    }

    [Theory]
    [InlineData(44_100, 3.5)]
    [InlineData(48_000, 4)]
    public async Task An_mp3_too_short_to_split_has_ffmpegs_frames_and_lames_own_info_frame(int rate, double seconds)
    {
        // Encoded in this process in one pass: after our ID3 tag, LAME's Info frame, then the very frames
        // ffmpeg's one pass writes; rewriting the Info frame for the audio's length (as a joined file's is)
        // leaves LAME's own tag as LAME wrote it, and ffmpeg trims the decode to exactly the input.
        var music = Music(seconds);
        var audio = new AudioBuffer(music.Samples[..((int)(2 * seconds * rate) - 222)], rate);
        var path = _dir.File("short.mp3");
        await _encoder.EncodeAsync(audio, path, AudioFormat.Mp3, 10 << 20);
        var ours = File.ReadAllBytes(path);
        var ffmpeg = File.ReadAllBytes(OnePass(audio, "ffmpeg.mp3"));
        Assert.Equal(AfterInfo(ffmpeg).ToArray(), AfterInfo(ours).ToArray());

        // LAME's own Info frame, but for the seek table (LAME's is coarser: rewritten as for a joined file) and
        // the tag's checksum over it.
        var lame = LameEncoder.Encode(audio.Samples, rate, 192, infoTag: true);
        var info = ours.AsSpan().IndexOf("Info"u8) - 36;
        const int Toc = 36 + 16, Crc = 190;
        Assert.Equal(lame[..Toc], ours[info..(info + Toc)]);
        Assert.Equal(lame[(Toc + 100)..Crc], ours[(info + Toc + 100)..(info + Crc)]);
        Assert.Equal(lame[(Crc + 2)..], ours[(info + Crc + 2)..]);
        // The seek table by the Xing header's definition: entry i, where (in 256ths of the bytes from the
        // Info frame on) the frame i% of the way through starts.
        var frames = Mp3Splice.Frames(ours, info)!.Skip(1).Select(f => f.Offset - info).ToList();
        var size = ours.Length - info;
        Assert.Equal([.. Enumerable.Range(0, 100).Select(i => i == 0 ? 0 : (int)Math.Min(255, 256L * frames[i * frames.Count / 100] / size))], ours.AsSpan(info + Toc, 100).ToArray().Select(b => (int)b));
        Assert.Equal(audio.Samples.Length, Decode(path, rate).Length);
        Assert.Equal(["ffmpeg.mp3", "short.mp3"], _dir.Files().Order());

        // The frames after a file's Info frame.
        static ReadOnlySpan<byte> AfterInfo(byte[] file)
        {
            var at = file.AsSpan().IndexOf("Info"u8) - 36;
            return file.AsSpan(Mp3Splice.Frames(file, at)![1].Offset);
        }
    }

    [Fact]
    public void A_stream_without_an_info_frame_is_left_as_it_is()
    {
        var bare = LameEncoder.EncodeBare(Music(2).Samples, Rate, 192);
        var copy = (byte[])bare.Clone();
        Assert.False(Mp3Splice.Complete(copy, 2 * Rate));
        Assert.Equal(bare, copy);
    }

    [Theory]
    [InlineData(44_100, 192)]
    [InlineData(48_000, 96)]
    public void Lame_in_this_process_writes_the_very_bytes_of_ffmpegs_bare_mp3(int rate, int kbps)
    {
        // Transients over a chord, not a whole number of MP3 frames: the second half of every split MP3.
        var music = Music(7);
        var audio = new AudioBuffer(music.Samples[..((2 * 7 * rate) - 666)], rate);
        var ffmpeg = OnePass(audio, "bare.mp3", "-b:a", $"{kbps}k", "-id3v2_version", "0", "-write_xing", "0", "-f", "mp3");
        Assert.Equal(File.ReadAllBytes(ffmpeg), LameEncoder.EncodeBare(audio.Samples, rate, kbps));
    }

    [Fact]
    public void Lame_refuses_a_rate_mp3_does_not_have_in_one_line()
    {
        var error = Assert.Throws<RenderException>(() => LameEncoder.EncodeBare(new float[20_000], 12_345, 192));
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("12345 Hz", error.Message);
    }

    /// <summary>Transients every half second over a three-note chord, the right channel a little different.</summary>
    private static AudioBuffer Music(double seconds)
    {
        var bursts = Signals.Bursts(seconds, 0.3f);
        var samples = new float[bursts.Samples.Length];
        for (var f = 0; f < samples.Length / 2; f++)
        {
            var t = (double)f / Rate;
            var chord = (0.15 * Math.Sin(2 * Math.PI * 220 * t)) + (0.1 * Math.Sin(2 * Math.PI * 277.2 * t)) + (0.1 * Math.Sin(2 * Math.PI * 329.6 * t * (1 + (0.002 * Math.Sin(2 * Math.PI * 5 * t)))));
            samples[2 * f] = bursts.Samples[2 * f] + (float)chord;
            samples[(2 * f) + 1] = bursts.Samples[(2 * f) + 1] + (float)(0.8 * chord);
        }

        return new AudioBuffer(samples, Rate);
    }

    private static AudioBuffer Slice(AudioBuffer audio, int from, int to) =>
        new(audio.Samples[(2 * from)..(2 * Math.Min(to, (int)audio.Frames))], audio.SampleRate);

    /// <summary>ffmpeg encoding the audio in one pass, as the encoder's arguments do.</summary>
    private string OnePass(AudioBuffer audio, string name, params string[] extra)
    {
        var raw = _dir.File(name + ".f32");
        File.WriteAllBytes(raw, MemoryMarshal.AsBytes(audio.Samples.AsSpan()).ToArray());
        var path = _dir.File(name);
        ExternalTools.Run("ffmpeg", [.. (string[])["-hide_banner", "-loglevel", "error", "-f", "f32le", "-ar", audio.SampleRate.ToString(CultureInfo.InvariantCulture), "-ac", "2", "-i", raw, "-c:a", "libmp3lame", "-b:a", "192k"], .. extra, "-y", path]);
        File.Delete(raw);
        return path;
    }

    private float[] Decode(string path, int rate = Rate)
    {
        var raw = path + ".decoded";
        ExternalTools.Run("ffmpeg", "-hide_banner", "-loglevel", "error", "-i", path, "-f", "f32le", "-ac", "2", "-ar", rate.ToString(CultureInfo.InvariantCulture), "-y", raw);
        var samples = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(raw)).ToArray();
        File.Delete(raw);
        return samples;
    }

    /// <summary>The signal-to-noise ratio of each 1152-frame block of the decode against the source, in dB.</summary>
    private static List<double> BlockSnr(float[] decoded, float[] source)
    {
        var blocks = new List<double>();
        for (var start = 0; start + (2 * Mp3Splice.SamplesPerFrame) <= source.Length; start += 2 * Mp3Splice.SamplesPerFrame)
        {
            double noise = 0, signal = 0;
            for (var i = start; i < start + (2 * Mp3Splice.SamplesPerFrame); i++)
            {
                noise += (decoded[i] - source[i]) * (decoded[i] - source[i]);
                signal += source[i] * source[i];
            }

            blocks.Add(10 * Math.Log10((signal + 1e-20) / (noise + 1e-20)));
        }

        return blocks;
    }

    private static double Overall(float[] decoded, float[] source) =>
        10 * Math.Log10(source.Sum(s => (double)s * s) / decoded.Select((d, i) => (double)(d - source[i]) * (d - source[i])).Sum());
}
