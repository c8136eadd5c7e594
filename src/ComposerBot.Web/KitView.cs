using ComposerBot.Jobs;
using ComposerBot.Studio;

namespace ComposerBot.Web;

/// <summary>A finished stream kit as its page shows it: what the pieces share, each piece with its URLs, the zip.</summary>
public sealed record KitView(
    string KitId,
    string RequestId,
    string Style,
    string Mood,
    string Key,
    string Meter,
    double TempoBpm,
    int Seed,
    IReadOnlyList<KitPieceView> Pieces,
    string Zip,
    string Readme)
{
    /// <summary>The view of a finished kit request, from its kit.json; null for a track, an unfinished request or a lost receipt.</summary>
    public static async Task<KitView?> ReadAsync(JobRequest request, ArtifactStore artifacts, CancellationToken cancellationToken)
    {
        if (!request.Order.Kit || request.State != JobState.Succeeded || artifacts.PathOf(request, "receipt") is not { } path || !File.Exists(path))
        {
            return null;
        }

        var kit = StudioJsonContext.DeserializeKit(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false));
        string Url(string kind) => $"/api/requests/{request.Id}/files/{kind}";
        return new KitView(
            kit.KitId,
            request.Id,
            kit.Style,
            kit.Mood,
            kit.Key,
            kit.Meter,
            kit.TempoBpm,
            kit.Seed,
            [.. kit.Pieces.Select(p => new KitPieceView(
                p.Name,
                p.Title,
                p.Kind,
                p.DurationS,
                p.TempoBpm,
                p.Loop,
                p.TransitionPointMs,
                p.Receipt.ReceiptId,
                p.Files.Keys.Order(StringComparer.Ordinal).ToDictionary(k => k, k => Url($"{p.Name}_{k}"))))],
            Url("zip"),
            Url("readme"));
    }
}

/// <summary>One piece of a kit on its page.</summary>
public sealed record KitPieceView(string Name, string Title, string Kind, double DurationS, double TempoBpm, bool Loop, double? TransitionPointMs, string ReceiptId, IReadOnlyDictionary<string, string> Files);
