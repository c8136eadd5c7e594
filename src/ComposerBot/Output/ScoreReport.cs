using System.Globalization;
using System.Text;
using System.Text.Json;
using ComposerBot.Music;

namespace ComposerBot.Cli.Output;

/// <summary>What <c>info</c> tells about a score.</summary>
public sealed record ScoreReport(
    string File,
    int TicksPerQuarter,
    IReadOnlyList<TrackReport> Tracks,
    int NoteCount,
    double DurationS,
    double TempoBpm,
    int TempoChanges,
    string Meter,
    string? Key,
    string KeySource)
{
    public static ScoreReport From(string file, Score score)
    {
        var key = KeyEstimator.KeyOf(score);
        return new ScoreReport(
            file,
            score.TicksPerQuarter,
            [.. score.Tracks.Select((t, i) => new TrackReport(
                i + 1, t.Name, t.Program, t.InstrumentName, t.Channel + 1, t.IsDrum, t.Notes.Count,
                t.Notes.Count == 0 ? 0 : t.Notes.Min(n => n.Pitch), t.Notes.Count == 0 ? 0 : t.Notes.Max(n => n.Pitch)))],
            score.NoteCount,
            Math.Round(score.DurationSeconds, 3),
            Math.Round(score.TempoMap.InitialBpm, 2),
            score.TempoMap.Changes.Count - 1,
            score.InitialMeter.ToString(),
            key?.Name,
            score.Key is not null ? "signature" : key is not null ? "estimated" : "none");
    }

    public string ToJson() => JsonSerializer.Serialize(this, CliJsonContext.Default.ScoreReport);

    public string ToText()
    {
        var text = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        text.AppendLine(invariant, $"{Path.GetFileName(File)}");
        text.AppendLine(invariant, $"  duration   {TimeSpan.FromSeconds(DurationS):m\\:ss\\.f} ({DurationS:0.00} s)");
        text.AppendLine(invariant, $"  tempo      {TempoBpm:0.##} bpm{(TempoChanges > 0 ? $" ({TempoChanges} changes)" : "")}");
        text.AppendLine(invariant, $"  meter      {Meter}");
        text.AppendLine(invariant, $"  key        {Key ?? "-"} ({KeySource})");
        text.AppendLine(invariant, $"  notes      {NoteCount:N0} in {Tracks.Count} tracks, {TicksPerQuarter} ticks per quarter");
        foreach (var t in Tracks)
        {
            var name = t.Name.Length > 0 ? $"\"{t.Name}\" " : "";
            text.AppendLine(invariant, $"  {t.Index,3}. {name}{t.Instrument} (program {t.Program}, channel {t.Channel}{(t.Drum ? ", drums" : "")}): {t.Notes:N0} notes, {PitchName(t.Lowest)}-{PitchName(t.Highest)}");
        }

        return text.ToString().TrimEnd();
    }

    private static string PitchName(int pitch) =>
        new[] { "C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B" }[pitch % 12] + ((pitch / 12) - 1).ToString(CultureInfo.InvariantCulture);
}
