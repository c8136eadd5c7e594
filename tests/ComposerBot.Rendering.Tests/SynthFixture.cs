using ComposerBot.Rendering.Synthesis;
using ComposerBot.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace ComposerBot.Rendering.Tests;

/// <summary>One FluidSynth engine with the system SoundFont for all tests that synthesize.</summary>
public sealed class SynthFixture : IDisposable
{
    public SynthFixture() =>
        Engine = new FluidSynthEngine(ExternalTools.SystemSoundFont, new SynthSettings(), NullLogger<FluidSynthEngine>.Instance);

    public FluidSynthEngine Engine { get; }

    public ScoreSynthesizer Synthesizer(RenderLimits? limits = null) => new(Engine, limits ?? new RenderLimits());

    public void Dispose() => Engine.Dispose();
}

[CollectionDefinition(Name)]
public sealed class SynthGroup : ICollectionFixture<SynthFixture>
{
    public const string Name = "synth";
}
