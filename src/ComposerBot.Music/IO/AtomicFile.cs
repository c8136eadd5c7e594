namespace ComposerBot.Music.IO;

/// <summary>
/// Writes a file through a hidden temporary sibling that is moved into place only when complete, so a
/// failure or a cancellation never leaves a half-written file behind.
/// </summary>
public static class AtomicFile
{
    public static string TempPathFor(string path) =>
        Path.Combine(DirectoryOf(path), $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.partial");

    /// <param name="overwrite">False: an existing file is kept and the move throws <see cref="IOException"/>.</param>
    public static void Write(string path, Action<Stream> write, bool overwrite = true)
    {
        var temp = TempPathFor(path);
        try
        {
            using (var stream = File.Create(temp))
            {
                write(stream);
            }

            File.Move(temp, path, overwrite);
        }
        finally
        {
            File.Delete(temp);
        }
    }

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

    private static string DirectoryOf(string path) => Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
}
