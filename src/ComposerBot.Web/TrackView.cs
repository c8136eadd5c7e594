using ComposerBot.Jobs;
using ComposerBot.Studio;

namespace ComposerBot.Web;

/// <summary>A finished track as the pages show it: the facts from its receipt and a URL per file.</summary>
public sealed record TrackView(
    string ReceiptId,
    string RequestId,
    string Title,
    string Style,
    string Mood,
    string Key,
    double TempoBpm,
    double DurationS,
    int Seed,
    bool Loop,
    bool Stinger,
    string Format,
    IReadOnlyDictionary<string, string> Files,
    DateTimeOffset? FinishedUtc)
{
    /// <summary>The view of a finished request, from its receipt file; null when the receipt is gone or the request made a kit.</summary>
    public static async Task<TrackView?> ReadAsync(JobRequest request, ArtifactStore artifacts, CancellationToken cancellationToken)
    {
        if (request.Order.Kit || artifacts.PathOf(request, "receipt") is not { } path || !File.Exists(path))
        {
            return null;
        }

        var receipt = StudioJsonContext.Deserialize(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false));
        var title = request.Order.Track.Prompt is { Length: > 0 } prompt ? prompt : $"{receipt.Style} ({receipt.Request.Mood})";
        return new TrackView(
            receipt.ReceiptId,
            request.Id,
            title,
            receipt.Style,
            receipt.Request.Mood,
            receipt.Key,
            receipt.TempoBpm,
            receipt.DurationS,
            receipt.Seed,
            receipt.Request.Loop,
            receipt.Request.Stinger,
            request.Order.Format,
            request.Files.Keys.Order(StringComparer.Ordinal).ToDictionary(k => k, k => $"/api/requests/{request.Id}/files/{k}"),
            request.FinishedUtc);
    }
}

/// <summary>What the playground's form offers: the same choices as /compose.</summary>
public sealed record FormOptions(IReadOnlyList<string> Styles, IReadOnlyList<string> Moods, IReadOnlyList<string> Keys, IReadOnlyList<string> Feels, IReadOnlyList<string> Formats);
