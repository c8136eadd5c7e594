using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ComposerBot.TestSupport;

/// <summary>ffmpeg and ffprobe as independent judges of what we wrote.</summary>
public static partial class ExternalTools
{
    public const string SystemSoundFont = "/usr/share/sounds/sf2/FluidR3_GM.sf2";

    /// <summary>ffmpeg's ebur128 filter: integrated loudness (LUFS) and true peak (dBTP) of a file.</summary>
    public static (double IntegratedLufs, double TruePeakDbtp) Ebur128(string path)
    {
        var output = Run("ffmpeg", "-hide_banner", "-nostats", "-i", path, "-af", "ebur128=peak=true", "-f", "null", "-");
        var summary = output[output.LastIndexOf("Summary:", StringComparison.Ordinal)..];
        var integrated = double.Parse(IntegratedPattern().Match(summary).Groups[1].Value, CultureInfo.InvariantCulture);
        var peak = PeakPattern().Match(summary).Groups[1].Value;
        return (integrated, peak == "-inf" ? double.NegativeInfinity : double.Parse(peak, CultureInfo.InvariantCulture));
    }

    /// <summary>The decoded duration of an audio file in seconds, by ffprobe.</summary>
    public static double DurationSeconds(string path) => double.Parse(
        Run("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "default=noprint_wrappers=1:nokey=1", path).Trim(),
        CultureInfo.InvariantCulture);

    /// <summary>ffprobe's view of a file's first audio stream: codec name.</summary>
    public static string CodecName(string path) =>
        Run("ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries", "stream=codec_name", "-of", "default=noprint_wrappers=1:nokey=1", path).Trim();

    /// <summary>A tag written into the file (on the container or its audio stream), as ffprobe reads it.</summary>
    public static string Tag(string path, string key) =>
        Run("ffprobe", "-v", "error", "-show_entries", $"format_tags={key}:stream_tags={key}", "-of", "default=noprint_wrappers=1:nokey=1", path).Trim();

    public static string Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish in 120 s");
        }

        var all = stdout.Result + stderr.Result;
        return process.ExitCode == 0 ? all : throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {all}");
    }

    [GeneratedRegex(@"I:\s+(-?[\d.]+) LUFS")]
    private static partial Regex IntegratedPattern();

    [GeneratedRegex(@"Peak:\s+(-?[\d.]+|-inf) dBFS")]
    private static partial Regex PeakPattern();
}
