using System.Globalization;
using System.Text.Json;
using ComposerBot.Rendering;

namespace ComposerBot.Cli.Output;

/// <summary>The result of <c>render</c> as the user sees it, in text or as one JSON object.</summary>
public sealed record RenderReport(
    string Input,
    string Output,
    string Format,
    long Bytes,
    int? BitrateKbps,
    double DurationS,
    double LoudnessLufs,
    double TruePeakDbtp,
    bool Normalized,
    string? Png,
    IReadOnlyDictionary<string, double> TimingsMs)
{
    public static RenderReport From(string input, RenderResult result) => new(
        input,
        result.OutputPath,
        result.Encoded.Format.ToString().ToLowerInvariant(),
        result.Encoded.Bytes,
        result.Encoded.BitrateKbps,
        Math.Round(result.DurationSeconds, 3),
        Math.Round(result.Loudness.IntegratedLufs, 2),
        Math.Round(result.Loudness.TruePeakDbtp, 2),
        result.Normalized,
        result.PianoRollPath,
        result.Timings.ToDictionary(t => t.Key.ToString().ToLowerInvariant(), t => Math.Round(t.Value.TotalMilliseconds, 1)));

    public string ToJson() => JsonSerializer.Serialize(this, CliJsonContext.Default.RenderReport);

    public string ToText()
    {
        var bitrate = BitrateKbps is { } kbps ? $" at {kbps} kb/s" : "";
        var text = string.Create(CultureInfo.InvariantCulture,
            $"Wrote {Output} ({Format}{bitrate}, {Bytes:N0} bytes): {DurationS:0.00} s, {LoudnessLufs:0.0} LUFS, true peak {TruePeakDbtp:0.0} dBTP");
        return Png is null ? text : $"{text}{Environment.NewLine}Wrote {Png}";
    }
}
