namespace ComposerBot.Rendering;

/// <summary>
/// Finds the SoundFont: the named one (--soundfont, then COMPOSERBOT_SOUNDFONT), else the first .sf2 or
/// .sf3 in the soundfonts/ folders, else the first installed system SoundFont (MuseScore General, then
/// FluidR3_GM).
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
            var found = Directory.EnumerateFiles(directory, "*.sf?").Where(f => f.EndsWith(".sf2", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".sf3", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal).FirstOrDefault();
            if (found is not null)
            {
                return Checked(Path.GetFullPath(found));
            }
        }

        IEnumerable<string> system = options.SystemSoundFonts.Count > 0 ? options.SystemSoundFonts : RenderingOptions.DefaultSystemSoundFonts;
        return system.FirstOrDefault(File.Exists) is { } installed
            ? Checked(installed)
            : throw new RenderException(
                "no SoundFont found: pass --soundfont, set COMPOSERBOT_SOUNDFONT, put a .sf2 or .sf3 in soundfonts/, or install musescore-general-soundfont or fluid-soundfont-gm.");
    }

    /// <summary>Where built files are cached: the configured folder, else $XDG_CACHE_HOME/composerbot, else ~/.cache/composerbot.</summary>
    public static string CacheDirectory(RenderingOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.CacheDirectory))
        {
            return options.CacheDirectory;
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return !string.IsNullOrEmpty(xdg) ? Path.Combine(xdg, "composerbot")
            : !string.IsNullOrEmpty(home) ? Path.Combine(home, ".cache", "composerbot")
            : Path.Combine(Path.GetTempPath(), "composerbot");
    }

    /// <summary>The SoundFonts loaded over the main one: the chip voices, built into the cache the first time.</summary>
    public static IReadOnlyList<string> Overlays(RenderingOptions options)
    {
        if (!options.ChipVoices)
        {
            return [];
        }

        try
        {
            return [SoundFonts.ChipSoundFont.Ensure(CacheDirectory(options))];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only home (a locked-down container): the temporary folder still works.
            return [SoundFonts.ChipSoundFont.Ensure(Path.Combine(Path.GetTempPath(), "composerbot"))];
        }
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
