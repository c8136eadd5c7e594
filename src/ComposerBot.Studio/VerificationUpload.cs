namespace ComposerBot.Studio;

/// <summary>
/// A file someone sent to be verified (in Discord, on the web), saved in a folder of its own under a name
/// of ours that keeps only a plain extension (which ffmpeg and the MIDI reader go by), never their path.
/// The folder, with anything put beside the file (a receipt that came with it), is deleted on dispose.
/// </summary>
public sealed class VerificationUpload : IDisposable
{
    private VerificationUpload(string folder, string path, string fileName) => (Folder, Path, FileName) = (folder, path, fileName);

    /// <summary>The folder the upload lives in.</summary>
    public string Folder { get; }

    /// <summary>Where the file is.</summary>
    public string Path { get; }

    /// <summary>The name the sender gave it, for what is said back to them.</summary>
    public string FileName { get; }

    public static async Task<VerificationUpload> SaveAsync(string fileName, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"composerbot-verify-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var upload = new VerificationUpload(folder, System.IO.Path.Combine(folder, "upload" + SafeExtension(fileName)), fileName);
        try
        {
            await using var file = File.Create(upload.Path);
            await write(file, cancellationToken).ConfigureAwait(false);
            return upload;
        }
        catch
        {
            upload.Dispose();
            throw;
        }
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private static string SafeExtension(string fileName) =>
        System.IO.Path.GetExtension(fileName).ToLowerInvariant() is { Length: > 1 and <= 6 } extension && extension[1..].All(char.IsAsciiLetterOrDigit) ? extension : ".bin";
}
