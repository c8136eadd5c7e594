using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ComposerBot.Rendering.Fingerprints;

/// <summary>What verification reads from an audio file through ffmpeg and ffprobe (a 16-bit PCM WAV read by <see cref="PcmWave"/>): its samples (mono, 11,025 Hz) and its comment tag.</summary>
public sealed class AudioProbe(string ffmpegPath = "ffmpeg", string ffprobePath = "ffprobe")
{
    /// <summary>
    /// The file decoded to mono float at <paramref name="sampleRate"/> (default <see cref="AudioFingerprint.SampleRate"/>);
    /// throws <see cref="RenderException"/> when ffmpeg cannot read it.
    /// </summary>
    public async Task<float[]> DecodeMonoAsync(string path, CancellationToken cancellationToken, int sampleRate = AudioFingerprint.SampleRate)
    {
        // A 16-bit PCM WAV (what regeneration writes) is read here: starting ffmpeg costs more than the reading.
        if (path.EndsWith(".wav", StringComparison.OrdinalIgnoreCase) && PcmWave.TryReadMono(path, sampleRate) is { } samples)
        {
            return samples;
        }

        var (bytes, errors, exit) = await RunAsync(ffmpegPath, ["-hide_banner", "-nostats", "-loglevel", "error", "-i", path, "-vn", "-ac", "1", "-ar", sampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture), "-f", "f32le", "pipe:1"], cancellationToken).ConfigureAwait(false);
        if (exit != 0)
        {
            throw new RenderException($"{Path.GetFileName(path)} is not audio that ffmpeg can read ({errors.Split('\n', 2)[0].Trim()}).");
        }

        return MemoryMarshal.Cast<byte, float>(bytes.AsSpan(0, bytes.Length / sizeof(float) * sizeof(float))).ToArray();
    }

    /// <summary>The file's comment tag (where ComposerBot writes its receipt id), or null.</summary>
    public async Task<string?> CommentAsync(string path, CancellationToken cancellationToken)
    {
        var (bytes, _, exit) = await RunAsync(ffprobePath, ["-v", "error", "-show_entries", "format_tags=comment:stream_tags=comment", "-of", "default=nw=1:nk=1", path], cancellationToken).ConfigureAwait(false);
        var text = System.Text.Encoding.UTF8.GetString(bytes).Trim();
        return exit == 0 && text.Length > 0 ? text.Split('\n')[0].Trim() : null;
    }

    private static async Task<(byte[] Output, string Errors, int Exit)> RunAsync(string tool, string[] arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using (var process = Encoding.FfmpegProcess.Start(info))
        {
            using var output = new MemoryStream();
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return (output.ToArray(), await errors.ConfigureAwait(false), process.ExitCode);
        }
    }
}
