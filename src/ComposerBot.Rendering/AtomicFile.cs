namespace ComposerBot.Rendering;

/// <summary>
/// Writes a file through a temporary sibling that is moved into place only when complete, so a failure
/// or a cancellation never leaves a half-written file behind.
/// </summary>
public static class AtomicFile
{
    public static string TempPathFor(string path) =>
        Path.Combine(DirectoryOf(path), $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.partial");

    public static async Task WriteAsync(string path, Func<string, CancellationToken, Task> writeTemp, CancellationToken cancellationToken)
    {
        var temp = TempPathFor(path);
        try
        {
            await writeTemp(temp, cancellationToken).ConfigureAwait(false);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Fails early, with one line, when a file cannot be created at the path.</summary>
    public static void EnsureWritable(string path)
    {
        var temp = TempPathFor(path);
        try
        {
            using (File.Create(temp, 1, FileOptions.DeleteOnClose))
            {
            }

            if (Directory.Exists(path))
            {
                throw new RenderException($"cannot write {path}: it is a directory.");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RenderException($"cannot write {path}: {ex.Message.TrimEnd('.')}.", ex);
        }
    }

    private static string DirectoryOf(string path) => Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
}
