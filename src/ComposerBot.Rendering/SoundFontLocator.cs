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
                ? Path.GetFullPath(options.SoundFont)
                : throw new RenderException($"SoundFont not found: {options.SoundFont}");
        }

        foreach (var directory in options.SoundFontDirectories.Where(Directory.Exists))
        {
            var found = Directory.EnumerateFiles(directory, "*.sf2").Order(StringComparer.Ordinal).FirstOrDefault();
            if (found is not null)
            {
                return Path.GetFullPath(found);
            }
        }

        return File.Exists(options.SystemSoundFont)
            ? options.SystemSoundFont
            : throw new RenderException(
                "no SoundFont found: pass --soundfont, set COMPOSERBOT_SOUNDFONT, put a .sf2 in soundfonts/, or install fluid-soundfont-gm.");
    }
}
