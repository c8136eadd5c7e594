using ComposerBot.Music.IO;

namespace ComposerBot.Rendering;

/// <summary>Checks an output path before any work is spent on what will be written there.</summary>
public static class OutputPath
{
    /// <summary>Fails early, with one line, when a file cannot be created at the path.</summary>
    public static void EnsureWritable(string path)
    {
        var temp = AtomicFile.TempPathFor(path);
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
}
