using ComposerBot.TestSupport;

namespace ComposerBot.Rendering.Tests;

public sealed class SoundFontLocatorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_named_soundfont_comes_first()
    {
        var named = _dir.File("named.sf2");
        Fake(named);
        Directory.CreateDirectory(_dir.File("soundfonts"));
        Fake(_dir.File("soundfonts/a.sf2"));
        var options = Options(named);
        Assert.Equal(named, SoundFontLocator.Resolve(options));
    }

    [Fact]
    public void Then_the_first_sf2_in_the_soundfonts_folder()
    {
        Directory.CreateDirectory(_dir.File("soundfonts"));
        Fake(_dir.File("soundfonts/b.sf2"));
        Fake(_dir.File("soundfonts/a.sf2"));
        File.WriteAllText(_dir.File("soundfonts/README.md"), "x");
        Assert.Equal(_dir.File("soundfonts/a.sf2"), SoundFontLocator.Resolve(Options(null)));
    }

    [Fact]
    public void A_compressed_sf3_in_the_folder_is_found_too()
    {
        Directory.CreateDirectory(_dir.File("soundfonts"));
        Fake(_dir.File("soundfonts/General.sf3"));
        Assert.Equal(_dir.File("soundfonts/General.sf3"), SoundFontLocator.Resolve(Options(null)));
    }

    [Fact]
    public void Then_the_first_installed_system_soundfont()
    {
        var muse = _dir.File("MuseScore_General.sf3");
        var fluid = _dir.File("FluidR3_GM.sf2");
        Fake(fluid);
        var options = Options(null);
        options.SystemSoundFonts.Clear();
        options.SystemSoundFonts.Add(muse);
        options.SystemSoundFonts.Add(fluid);
        Assert.Equal(fluid, SoundFontLocator.Resolve(options));
        Fake(muse);
        Assert.Equal(muse, SoundFontLocator.Resolve(options));
    }

    [Fact]
    public void MuseScore_General_is_the_default_and_FluidR3_the_fallback() =>
        Assert.Equal(
            ["/usr/share/sounds/sf3/MuseScore_General.sf3", "/usr/share/sounds/sf3/MuseScore_General_Full.sf3", ExternalTools.SystemSoundFont],
            RenderingOptions.DefaultSystemSoundFonts);

    [Fact]
    public void A_named_soundfont_that_does_not_exist_is_an_error_not_a_fallback() =>
        Assert.Contains("SoundFont not found: /nope.sf2", Assert.Throws<RenderException>(() => SoundFontLocator.Resolve(Options("/nope.sf2"))).Message);

    [Fact]
    public void No_soundfont_anywhere_says_how_to_get_one()
    {
        var options = Options(null);
        options.SystemSoundFonts.Clear();
        options.SystemSoundFonts.Add(_dir.File("missing.sf2"));
        var message = Assert.Throws<RenderException>(() => SoundFontLocator.Resolve(options)).Message;
        Assert.Contains("musescore-general-soundfont", message);
        Assert.Contains("fluid-soundfont-gm", message);
    }

    [Fact]
    public void A_file_that_is_not_a_soundfont_is_refused_before_fluidsynth_sees_it()
    {
        File.WriteAllText(_dir.File("song.sf2"), "ID3 not a soundfont");
        Assert.Contains("not a SoundFont 2 file", Assert.Throws<RenderException>(() => SoundFontLocator.Resolve(Options(_dir.File("song.sf2")))).Message);
    }

    private static void Fake(string path) => File.WriteAllBytes(path, [.. "RIFF"u8, 4, 0, 0, 0, .. "sfbk"u8]);

    private RenderingOptions Options(string? named)
    {
        var options = new RenderingOptions { SoundFont = named };
        options.SystemSoundFonts.Add(ExternalTools.SystemSoundFont);
        options.SoundFontDirectories.Add(_dir.File("soundfonts"));
        return options;
    }
}
