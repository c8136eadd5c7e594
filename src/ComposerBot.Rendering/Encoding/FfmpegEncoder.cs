using ComposerBot.Music.IO;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace ComposerBot.Rendering.Encoding;

/// <summary>
/// Encodes PCM with ffmpeg, piping raw float samples to its stdin (no temporary WAV). Lossy formats step
/// their bitrate down until the file fits the byte limit.
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
        EncodeAsync(audio.DurationSeconds, audio.SampleRate, (stdin, ct) => WriteAsync(audio, stdin, ct), outputPath, format, maxBytes, metadata, prepared, cancellationToken);

    /// <summary>
    /// Starts ffmpeg now for the encode <see cref="EncodeAsync(AudioBuffer, string, AudioFormat, long, IReadOnlyDictionary{string, string}?, PreparedEncode?, CancellationToken)"/>
    /// will most likely run (the first bitrate of the ladder that fits <paramref name="expectedSeconds"/>), so
    /// its start (about 55 ms) overlaps the synthesis; it waits on its input until then. An encode that turns
    /// out to need another bitrate, or none at all, stops it (dispose).
    /// </summary>
    public PreparedEncode Prepare(double expectedSeconds, int sampleRate, string outputPath, AudioFormat format, long maxBytes, IReadOnlyDictionary<string, string>? metadata)
    {
        var kbps = format.BitrateLadder()[StartRung(expectedSeconds, sampleRate, format, maxBytes)];
        var temp = AtomicFile.TempPathFor(outputPath);
        return new PreparedEncode(Start(sampleRate, temp, format.CodecArguments(kbps), metadata), temp, sampleRate, kbps, metadata);
    }

    /// <summary>
    /// Encodes PCM that <paramref name="writePcm"/> writes (32-bit float, interleaved stereo) to ffmpeg's
    /// stdin, once per bitrate tried: a long render streams its audio instead of holding it.
    /// </summary>
    public async Task<EncodeResult> EncodeAsync(
        double seconds,
        int sampleRate,
        Func<Stream, CancellationToken, Task> writePcm,
        string outputPath,
        AudioFormat format,
        long maxBytes,
        IReadOnlyDictionary<string, string>? metadata = null,
        PreparedEncode? prepared = null,
        CancellationToken cancellationToken = default)
    {
        var ladder = format.BitrateLadder();
        var start = StartRung(seconds, sampleRate, format, maxBytes);
        for (var rung = start; rung < ladder.Count; rung++)
        {
            var kbps = ladder[rung];

            // The process started ahead serves the first rung when it was started for exactly this encode.
            var ready = rung == start ? prepared?.Take(sampleRate, kbps, metadata) : null;
            var temp = ready?.Temp ?? AtomicFile.TempPathFor(outputPath);
            try
            {
                await FinishAsync(ready?.Process ?? Start(sampleRate, temp, format.CodecArguments(kbps), metadata), writePcm, temp, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Feeds the PCM in chunks rather than one copy of the whole piece.</summary>
    private static async Task WriteAsync(AudioBuffer audio, Stream stdin, CancellationToken cancellationToken)
    {
        var chunk = new byte[1 << 20];
        for (var offset = 0; offset < audio.Samples.Length; offset += chunk.Length / sizeof(float))
        {
            var count = Math.Min(chunk.Length / sizeof(float), audio.Samples.Length - offset);
            MemoryMarshal.AsBytes(audio.Samples.AsSpan(offset, count)).CopyTo(chunk);
            await stdin.WriteAsync(chunk.AsMemory(0, count * sizeof(float)), cancellationToken).ConfigureAwait(false);
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
}

/// <summary>
/// An ffmpeg started ahead of its audio (<see cref="FfmpegEncoder.Prepare"/>), waiting on its input: taken by
/// the encode it was started for, or stopped, and its partial file removed, when disposed untaken.
/// </summary>
public sealed class PreparedEncode : IAsyncDisposable
{
    private readonly int _sampleRate;
    private readonly int? _kbps;
    private readonly IReadOnlyDictionary<string, string>? _metadata;
    private Process? _process;

    internal PreparedEncode(Process process, string temp, int sampleRate, int? kbps, IReadOnlyDictionary<string, string>? metadata)
    {
        _process = process;
        Temp = temp;
        _sampleRate = sampleRate;
        _kbps = kbps;
        _metadata = metadata;
    }

    internal string Temp { get; }

    /// <summary>The process, for the encode with this rate, bitrate and metadata; null (and the process left to dispose) for any other.</summary>
    internal (Process Process, string Temp)? Take(int sampleRate, int? kbps, IReadOnlyDictionary<string, string>? metadata)
    {
        var same = _process is not null && sampleRate == _sampleRate && kbps == _kbps
            && (metadata ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal).SequenceEqual((_metadata ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal));
        if (!same)
        {
            return null;
        }

        var process = _process!;
        _process = null;
        return (process, Temp);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            using (process)
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync().ConfigureAwait(false);
                }
            }

            File.Delete(Temp);
        }
    }
}
