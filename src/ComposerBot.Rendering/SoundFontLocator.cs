namespace ComposerBot.Rendering;

/// <summary>
/// Finds the SoundFont: the named one (--soundfont, then COMPOSERBOT_SOUNDFONT), else the first .sf2 in
/// the soundfonts/ folders, else the system's FluidR3_GM.
/// </summary>
public static class SoundFontLocator
{
    public static string Resolve(RenderingOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.SoundFont))
        {
            return File.Exists(options.SoundFont)
                ? Checked(Path.GetFullPath(options.SoundFont))
                : throw new RenderException($"SoundFont not found: {options.SoundFont}");
        }

        foreach (var directory in options.SoundFontDirectories.Where(Directory.Exists))
        {
            var found = Directory.EnumerateFiles(directory, "*.sf2").Order(StringComparer.Ordinal).FirstOrDefault();
            if (found is not null)
            {
                return Checked(Path.GetFullPath(found));
            }
        }

        return File.Exists(options.SystemSoundFont)
            ? Checked(options.SystemSoundFont)
            : throw new RenderException(
                "no SoundFont found: pass --soundfont, set COMPOSERBOT_SOUNDFONT, put a .sf2 in soundfonts/, or install fluid-soundfont-gm.");
    }

    /// <summary>
    /// Checks the RIFF 'sfbk' header ourselves: handed anything else, FluidSynth's loaders print their
    /// own complaints to stderr before failing.
    /// </summary>
    private static string Checked(string path)
    {
        Span<byte> header = stackalloc byte[12];
        using (var file = File.OpenRead(path))
        {
            if (file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length
                || !header[..4].SequenceEqual("RIFF"u8) || !header[8..].SequenceEqual("sfbk"u8))
            {
                throw new RenderException($"not a SoundFont 2 file (no RIFF sfbk header): {path}");
            }
        }

        return path;
    }
}
