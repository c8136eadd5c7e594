namespace ComposerBot.Rendering.Encoding;

/// <summary>File extensions, ffmpeg arguments and bitrate ladders of the output formats.</summary>
public static class AudioFormats
{
    private static readonly int[] Mp3Ladder = [192, 160, 128, 112, 96, 80, 64, 48, 40, 32];
    private static readonly int[] OpusLadder = [128, 112, 96, 80, 64, 56, 48, 40, 32, 24, 16];

    public const string SupportedExtensions = ".mp3, .ogg, .opus, .flac or .wav";

    /// <summary>The format an output path asks for by its extension.</summary>
    public static AudioFormat FromPath(string path) => TryFromPath(path) ?? throw new RenderException(
        $"unknown output extension '{(Path.GetExtension(path).Length == 0 ? "(none)" : Path.GetExtension(path).ToLowerInvariant())}' in {path}; use {SupportedExtensions}.");

    /// <summary>The format a path's extension names, or null when it names none.</summary>
    public static AudioFormat? TryFromPath(string path) => Path.GetExtension(path).ToUpperInvariant() switch
    {
        ".MP3" => AudioFormat.Mp3,
        ".OGG" => AudioFormat.Ogg,
        ".OPUS" => AudioFormat.Opus,
        ".FLAC" => AudioFormat.Flac,
        ".WAV" => AudioFormat.Wav,
        _ => null,
    };

    public static string Extension(this AudioFormat format) => "." + format.ToString().ToLowerInvariant();

    public static bool IsLossy(this AudioFormat format) => format is AudioFormat.Mp3 or AudioFormat.Ogg or AudioFormat.Opus;

    /// <summary>Bitrates to try, best first; a single null rung for lossless formats.</summary>
    public static IReadOnlyList<int?> BitrateLadder(this AudioFormat format) => format switch
    {
        AudioFormat.Mp3 => [.. Mp3Ladder.Cast<int?>()],
        AudioFormat.Ogg or AudioFormat.Opus => [.. OpusLadder.Cast<int?>()],
        _ => [null],
    };

    internal static IEnumerable<string> CodecArguments(this AudioFormat format, int? kbps) => format switch
    {
        AudioFormat.Mp3 => ["-c:a", "libmp3lame", "-b:a", $"{kbps}k", "-id3v2_version", "3", "-f", "mp3"],
        AudioFormat.Ogg => ["-c:a", "libopus", "-b:a", $"{kbps}k", "-f", "ogg"],
        AudioFormat.Opus => ["-c:a", "libopus", "-b:a", $"{kbps}k", "-f", "opus"],
        AudioFormat.Flac => ["-c:a", "flac", "-sample_fmt", "s16", "-f", "flac"],
        AudioFormat.Wav => ["-c:a", "pcm_s16le", "-f", "wav"],
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };
}
