namespace ComposerBot.Rendering.Synthesis;

/// <summary>What a score may ask of the renderer before it is refused.</summary>
public sealed record RenderLimits
{
    public double MaxDurationSeconds { get; init; } = 20 * 60;

    public int MaxTracks { get; init; } = FluidSynthEngine.MaxChannels;
}
