using ComposerBot.Music.IO;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace ComposerBot.Rendering.Encoding;

/// <summary>
/// Encodes PCM: MP3 in this process by LAME (<see cref="LameEncoder"/>, with our own ID3 tag), every other
/// format (and MP3 where LAME does not load) with ffmpeg, piping raw float samples to its stdin (no temporary
/// WAV). Lossy formats step their bitrate down until the file fits the byte limit.
/// </summary>
public sealed partial class FfmpegEncoder(string ffmpegPath, ILogger<FfmpegEncoder> logger)
{
    public Task<EncodeResult> EncodeAsync(
        AudioBuffer audio,
        string outputPath,
        AudioFormat format,
        long maxBytes,
        IReadOnlyDictionary<string, string>? metadata = null,
        PreparedEncode? prepared = null,
        CancellationToken cancellationToken = default) =>
        InProcess(format, audio.SampleRate)
            ? LadderAsync(audio.DurationSeconds, audio.SampleRate, outputPath, format, maxBytes, metadata, prepared, (kbps, temp, ready, ct) => LameEncoder.HoldsInfoFrame(kbps!.Value, audio.SampleRate)
                ? EncodeInProcessAsync(audio, kbps.Value, temp, metadata, ct)
                : FfmpegPassAsync(audio.SampleRate, format, kbps, metadata, WholeBuffer(audio), temp, ready, ct), cancellationToken)
            : EncodeAsync(audio.DurationSeconds, audio.SampleRate, WholeBuffer(audio), outputPath, format, maxBytes, metadata, prepared, cancellationToken);

    /// <summary>Writes all of the audio's samples to ffmpeg's stdin.</summary>
    private static Func<Stream, CancellationToken, Task> WholeBuffer(AudioBuffer audio) =>
        (stdin, ct) => WriteAsync(audio.Samples, 0, audio.Samples.Length, stdin, ct);

    /// <summary>MP3s at least this long are encoded in two halves at once (<see cref="Mp3Splice"/>).</summary>
    public const double SplitAboveSeconds = 10;

    /// <summary>
    /// Whether audio of this format and rate is encoded in this process: MP3 at an MPEG-1 rate where LAME
    /// loads (the prerequisites install it with ffmpeg), at every bitrate where LAME writes its Info frame
    /// (<see cref="LameEncoder.HoldsInfoFrame"/>; below, ffmpeg, which writes its Info frame at a higher
    /// bitrate than the stream's). Those of at least <see cref="SplitAboveSeconds"/> are encoded in two halves
    /// at once, on any machine (one core included), so a track's bytes do not depend on where it was made.
    /// </summary>
    private static bool InProcess(AudioFormat format, int sampleRate) =>
        format == AudioFormat.Mp3 && sampleRate is 32_000 or 44_100 or 48_000 && LameEncoder.Available;

    /// <summary>
    /// Starts ffmpeg now for the encode <see cref="EncodeAsync(AudioBuffer, string, AudioFormat, long, IReadOnlyDictionary{string, string}?, PreparedEncode?, CancellationToken)"/>
    /// will most likely run (the first bitrate of the ladder that fits <paramref name="expectedSeconds"/>), so
    /// its start (about 55 ms) overlaps the synthesis; it waits on its input until then. An encode that turns
    /// out to need another bitrate, or none at all, stops it (dispose). Null where the format is encoded in
    /// this process: there is nothing to start.
    /// </summary>
    public PreparedEncode? Prepare(double expectedSeconds, int sampleRate, string outputPath, AudioFormat format, long maxBytes, IReadOnlyDictionary<string, string>? metadata)
    {
        var kbps = format.BitrateLadder()[StartRung(expectedSeconds, sampleRate, format, maxBytes)];
        if (InProcess(format, sampleRate) && LameEncoder.HoldsInfoFrame(kbps!.Value, sampleRate))
        {
            return null;
        }

        var temp = AtomicFile.TempPathFor(outputPath);
        var first = Start(sampleRate, temp, format.CodecArguments(kbps), metadata);
        return new PreparedEncode(new StartedEncode(first, temp), sampleRate, kbps, metadata);
    }

    /// <summary>
    /// Encodes PCM that <paramref name="writePcm"/> writes (32-bit float, interleaved stereo) to ffmpeg's
    /// stdin, once per bitrate tried: a long render streams its audio instead of holding it.
    /// </summary>
    public Task<EncodeResult> EncodeAsync(
        double seconds,
        int sampleRate,
        Func<Stream, CancellationToken, Task> writePcm,
        string outputPath,
        AudioFormat format,
        long maxBytes,
        IReadOnlyDictionary<string, string>? metadata = null,
        PreparedEncode? prepared = null,
        CancellationToken cancellationToken = default) =>
        LadderAsync(seconds, sampleRate, outputPath, format, maxBytes, metadata, prepared, (kbps, temp, ready, ct) =>
            FfmpegPassAsync(sampleRate, format, kbps, metadata, writePcm, temp, ready, ct), cancellationToken);

    /// <summary>One rung by ffmpeg: the process started ahead for it, or a new one, fed by <paramref name="writePcm"/>.</summary>
    private Task FfmpegPassAsync(int sampleRate, AudioFormat format, int? kbps, IReadOnlyDictionary<string, string>? metadata, Func<Stream, CancellationToken, Task> writePcm, string temp, StartedEncode? ready, CancellationToken cancellationToken) =>
        FinishAsync(ready?.First ?? Start(sampleRate, temp, format.CodecArguments(kbps), metadata), writePcm, temp, cancellationToken);

    /// <summary>
    /// Encodes at each bitrate of the ladder from the first whose expected size fits, until the file fits:
    /// <paramref name="encode"/> writes the rung's file to a temporary path, the one that fits is moved into place.
    /// </summary>
    private async Task<EncodeResult> LadderAsync(
        double seconds,
        int sampleRate,
        string outputPath,
        AudioFormat format,
        long maxBytes,
        IReadOnlyDictionary<string, string>? metadata,
        PreparedEncode? prepared,
        Func<int?, string, StartedEncode?, CancellationToken, Task> encode,
        CancellationToken cancellationToken)
    {
        var ladder = format.BitrateLadder();
        var start = StartRung(seconds, sampleRate, format, maxBytes);
        for (var rung = start; rung < ladder.Count; rung++)
        {
            var kbps = ladder[rung];

            // The processes started ahead serve the first rung when they were started for exactly this encode.
            var ready = rung == start ? prepared?.Take(sampleRate, kbps, metadata) : null;
            var temp = ready?.Temp ?? AtomicFile.TempPathFor(outputPath);
            try
            {
                await encode(kbps, temp, ready, cancellationToken).ConfigureAwait(false);
                var bytes = new FileInfo(temp).Length;
                LogEncoded(format, kbps ?? 0, bytes);
                if (bytes <= maxBytes)
                {
                    File.Move(temp, outputPath, overwrite: true);
                    return new EncodeResult(format, bytes, kbps);
                }
            }
            finally
            {
                File.Delete(temp);
            }
        }

        throw TooLarge(format, maxBytes);
    }

    /// <summary>
    /// An MP3 written in this process: our ID3 tag, LAME's Info frame (rewritten for exactly this audio, as
    /// for a joined file) and its frames, encoded in two halves at once (<see cref="Mp3Splice"/>) from
    /// <see cref="SplitAboveSeconds"/> on: the first, with the Info frame, from the start to a little past the
    /// middle on a pool thread, the second from a little before it to the end on this one. Should the halves
    /// not join, the whole is encoded again in one pass.
    /// </summary>
    private async Task EncodeInProcessAsync(AudioBuffer audio, int kbps, string temp, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        var tag = Id3v2Tag.Build(metadata, $"LAME {LameEncoder.Version}");
        var file = audio.DurationSeconds >= SplitAboveSeconds ? await HalvesAsync(audio, kbps, tag, cancellationToken).ConfigureAwait(false) : null;
        if (file is null)
        {
            file = [.. tag, .. LameEncoder.Encode(audio.Samples, audio.SampleRate, kbps, infoTag: true, cancellationToken)];
            if (!Mp3Splice.Complete(file, audio.Frames))
            {
                LogInfoKept(Path.GetFileName(temp));
            }
        }

        await File.WriteAllBytesAsync(temp, file, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The two halves encoded at once and joined; null when they find no frame to join at.</summary>
    private async Task<byte[]?> HalvesAsync(AudioBuffer audio, int kbps, byte[] tag, CancellationToken cancellationToken)
    {
        var seamFrame = (int)(audio.Frames / 2 / Mp3Splice.SamplesPerFrame);
        var cut = (long)seamFrame * Mp3Splice.SamplesPerFrame;
        var firstEnd = Math.Min(audio.Frames, cut + ((long)Mp3Splice.OverrunFrames * Mp3Splice.SamplesPerFrame));
        var secondStart = cut - ((long)Mp3Splice.PrerollFrames * Mp3Splice.SamplesPerFrame);
        var channels = AudioBuffer.Channels;

        // Should this thread's half fail or be cancelled, the other stops too before the error goes on.
        using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var firstHalf = Task.Run(() => LameEncoder.Encode(audio.Samples.AsSpan(0, (int)(firstEnd * channels)), audio.SampleRate, kbps, infoTag: true, both.Token), both.Token);
        byte[] secondHalf;
        try
        {
            secondHalf = LameEncoder.EncodeBare(audio.Samples.AsSpan((int)(secondStart * channels)), audio.SampleRate, kbps, both.Token);
        }
        catch
        {
            await both.CancelAsync().ConfigureAwait(false);
            await Task.WhenAny(firstHalf).ConfigureAwait(false);
            throw;
        }

        var joined = Mp3Splice.Join([.. tag, .. await firstHalf.ConfigureAwait(false)], secondHalf, seamFrame, audio.Frames);
        if (joined is null)
        {
            LogNotJoined(audio.DurationSeconds);
        }

        return joined;
    }

    /// <summary>The first bitrate of the ladder whose expected size fits (the container adds a little).</summary>
    private static int StartRung(double seconds, int sampleRate, AudioFormat format, long maxBytes)
    {
        var ladder = format.BitrateLadder();
        var start = 0;
        while (start < ladder.Count - 1 && EstimateBytes(seconds, sampleRate, format, ladder[start]) > maxBytes)
        {
            start++;
        }

        return start;
    }

    /// <summary>
    /// The fewest bytes <paramref name="seconds"/> of audio can take in the format: the WAV's exact size, or
    /// the lowest bitrate of a lossy ladder with 10% to spare for variable bitrates; null for FLAC, whose
    /// size depends on the music. Known before a single sample is synthesized.
    /// </summary>
    public static long? MinimumBytes(AudioFormat format, double seconds) => format.BitrateLadder()[^1] is { } lowest
        ? (long)(lowest * 125 * seconds * 0.9)
        : format == AudioFormat.Wav ? ((long)Math.Round(seconds * AudioBuffer.StandardSampleRate) * 4) + 44 : null;

    /// <summary>The refusal for audio that cannot fit <paramref name="maxBytes"/> in the format.</summary>
    public static RenderException TooLarge(AudioFormat format, long maxBytes) => new(format.BitrateLadder()[^1] is { } lowest
        ? $"the audio does not fit in {maxBytes:N0} bytes even at {lowest} kb/s; raise --max-bytes or shorten the piece."
        : $"the {format.ToString().ToUpperInvariant()} file would be over the {maxBytes:N0}-byte limit; choose mp3 or ogg, or raise --max-bytes.");

    private static long EstimateBytes(double seconds, int sampleRate, AudioFormat format, int? kbps) => kbps is { } rate
        ? (long)(rate * 125 * seconds * 1.03) + 16_384
        : format == AudioFormat.Wav ? ((long)Math.Round(seconds * sampleRate) * 4) + 44 : 0;

    /// <summary>Feeds <paramref name="count"/> samples from <paramref name="offset"/> in chunks rather than one copy of the whole piece.</summary>
    private static async Task WriteAsync(float[] samples, int offset, int count, Stream stdin, CancellationToken cancellationToken)
    {
        var chunk = new byte[1 << 20];
        for (var done = 0; done < count; done += chunk.Length / sizeof(float))
        {
            var length = Math.Min(chunk.Length / sizeof(float), count - done);
            MemoryMarshal.AsBytes(samples.AsSpan(offset + done, length)).CopyTo(chunk);
            await stdin.WriteAsync(chunk.AsMemory(0, length * sizeof(float)), cancellationToken).ConfigureAwait(false);
        }
    }

    private Process Start(int sampleRate, string outputPath, IEnumerable<string> codecArguments, IReadOnlyDictionary<string, string>? metadata)
    {
        var info = new ProcessStartInfo(ffmpegPath)
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-hide_banner", "-nostats", "-loglevel", "error", "-f", "f32le", "-ar", sampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture), "-ac", "2", "-i", "pipe:0"])
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var argument in codecArguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            info.ArgumentList.Add("-metadata");
            info.ArgumentList.Add($"{key}={value}");
        }

        info.ArgumentList.Add("-y");
        info.ArgumentList.Add(outputPath);
        return FfmpegProcess.Start(info);
    }

    private static async Task FinishAsync(Process started, Func<Stream, CancellationToken, Task> writePcm, string outputPath, CancellationToken cancellationToken)
    {
        using var process = started;
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        try
        {
            await using (var stdin = process.StandardInput.BaseStream)
            {
                await writePcm(stdin, cancellationToken).ConfigureAwait(false);
            }

            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            if (ex is OperationCanceledException)
            {
                throw;
            }
        }

        await stdout.ConfigureAwait(false);
        var errors = (await stderr.ConfigureAwait(false)).Trim();
        if (process.ExitCode != 0)
        {
            var firstLine = errors.Split('\n', 2)[0];
            throw new RenderException($"ffmpeg failed to encode {Path.GetFileName(outputPath)}: {firstLine}");
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Encoded {Format} at {Kbps} kb/s: {Bytes} bytes")]
    private partial void LogEncoded(AudioFormat format, int kbps, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The two halves of a {Seconds:0.0}-second MP3 found no frame to join at; encoded again in one pass")]
    private partial void LogNotJoined(double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LAME's Info frame in {File} was not laid out as expected; kept as LAME wrote it")]
    private partial void LogInfoKept(string file);
}

/// <summary>The ffmpeg process started for one encode, waiting on its input, with its temporary file.</summary>
internal sealed record StartedEncode(Process First, string Temp);

/// <summary>
/// ffmpeg started ahead of its audio (<see cref="FfmpegEncoder.Prepare"/>), waiting on its input: taken by
/// the encode it was started for, or stopped, and its partial files removed, when disposed untaken.
/// </summary>
public sealed class PreparedEncode : IAsyncDisposable
{
    private readonly int _sampleRate;
    private readonly int? _kbps;
    private readonly IReadOnlyDictionary<string, string>? _metadata;
    private StartedEncode? _started;

    internal PreparedEncode(StartedEncode started, int sampleRate, int? kbps, IReadOnlyDictionary<string, string>? metadata)
    {
        _started = started;
        _sampleRate = sampleRate;
        _kbps = kbps;
        _metadata = metadata;
    }

    /// <summary>
    /// The process, for the encode with this rate, bitrate and metadata; null (and
    /// the process left to dispose) for any other.
    /// </summary>
    internal StartedEncode? Take(int sampleRate, int? kbps, IReadOnlyDictionary<string, string>? metadata)
    {
        var same = _started is not null && sampleRate == _sampleRate && kbps == _kbps
            && (metadata ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal).SequenceEqual((_metadata ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal));
        if (!same)
        {
            return null;
        }

        var started = _started;
        _started = null;
        return started;
    }

    public async ValueTask DisposeAsync()
    {
        if (_started is { } started)
        {
            _started = null;
            await StopAsync(started.First, started.Temp).ConfigureAwait(false);
        }
    }

    private static async Task StopAsync(Process process, string temp)
    {
        using (process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().ConfigureAwait(false);
            }
        }

        File.Delete(temp);
    }
}
