using ComposerBot.Rendering.SoundFonts;
using ComposerBot.Rendering.Synthesis;
using ComposerBot.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace ComposerBot.Rendering.Tests;

/// <summary>One FluidSynth engine with the system SoundFont and the chip voices over it, for all tests that synthesize.</summary>
public sealed class SynthFixture : IDisposable
{
    private readonly TempDirectory _cache = new();

    public SynthFixture() =>
        Engine = new FluidSynthEngine(ExternalTools.SystemSoundFont, new SynthSettings(), NullLogger<FluidSynthEngine>.Instance, [ChipSoundFont.Ensure(_cache.Path)]);

    public FluidSynthEngine Engine { get; }

    public ScoreSynthesizer Synthesizer(RenderLimits? limits = null) => new(Engine, limits ?? new RenderLimits());

    public void Dispose()
    {
        Engine.Dispose();
        _cache.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class SynthGroup : ICollectionFixture<SynthFixture>
{
    public const string Name = "synth";
}
