namespace ComposerBot.Jobs;

/// <summary>Each request's files, in a folder named by its id under the artifacts directory that every worker shares.</summary>
public sealed class ArtifactStore(string root)
{
    public string Root => root;

    public string DirectoryFor(string requestId) => Path.Combine(root, Safe(requestId));

    /// <summary>The full path of one of a request's files, or null when the name is not a plain file name there.</summary>
    public string? PathOf(JobRequest request, string kind) =>
        request.Files.TryGetValue(kind, out var name) && name == Path.GetFileName(name) ? Path.Combine(DirectoryFor(request.Id), name) : null;

    /// <summary>A new file for something a user uploaded (a MIDI file to continue), kept with the artifacts so every worker can read it.</summary>
    public string UploadPath(string extension) => Path.Combine(root, "uploads", Guid.NewGuid().ToString("N") + extension);

    private static string Safe(string id) =>
        id.Length > 0 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') ? id : throw new ArgumentException($"'{id}' is not a request id.", nameof(id));
}
