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
    public void Then_the_system_soundfont()
    {
        var system = _dir.File("FluidR3_GM.sf2");
        Fake(system);
        var options = Options(null);
        options.SystemSoundFont = system;
        Assert.Equal(system, SoundFontLocator.Resolve(options));
    }

    [Fact]
    public void A_named_soundfont_that_does_not_exist_is_an_error_not_a_fallback() =>
        Assert.Contains("SoundFont not found: /nope.sf2", Assert.Throws<RenderException>(() => SoundFontLocator.Resolve(Options("/nope.sf2"))).Message);

    [Fact]
    public void No_soundfont_anywhere_says_how_to_get_one()
    {
        var options = Options(null);
        options.SystemSoundFont = _dir.File("missing.sf2");
        Assert.Contains("fluid-soundfont-gm", Assert.Throws<RenderException>(() => SoundFontLocator.Resolve(options)).Message);
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
        var options = new RenderingOptions { SoundFont = named, SystemSoundFont = ExternalTools.SystemSoundFont };
        options.SoundFontDirectories.Add(_dir.File("soundfonts"));
        return options;
    }
}
