using ComposerBot.Jobs.Storage;
using ComposerBot.Rendering.Fingerprints;
using ComposerBot.Studio;

namespace ComposerBot.Jobs;

/// <summary>The receipt of a track made here, found by the receipt id a file carries in its tags.</summary>
public sealed class StoredReceipts(RequestStore store, ArtifactStore artifacts, AudioProbe probe)
{
    /// <summary>The receipt and its path, or nulls when the file names no receipt of a track made here.</summary>
    public async Task<(Receipt? Receipt, string? Path)> ForAsync(string track, CancellationToken cancellationToken)
    {
        var id = await TrackVerifier.ReceiptIdInAsync(track, probe, cancellationToken).ConfigureAwait(false);
        if (id is null || await store.ByReceiptAsync(id, cancellationToken).ConfigureAwait(false) is not { } request
            || artifacts.PathOf(request, "receipt") is not { } path || !File.Exists(path))
        {
            return (null, null);
        }

        return (StudioJsonContext.Deserialize(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)), path);
    }
}
