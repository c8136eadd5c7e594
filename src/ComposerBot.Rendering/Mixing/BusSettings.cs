namespace ComposerBot.Rendering.Mixing;

/// <summary>
/// A style's mix bus: a high-pass, low and high shelves and a presence bell (0 dB: off), then a stereo-linked
/// compressor (ratio 1: off). Applied after the synthesizer and before the loudness normaliser.
/// </summary>
public sealed record BusSettings
{
    public double HighPassHz { get; init; }

    public double LowShelfHz { get; init; } = 120;

    public double LowShelfDb { get; init; }

    public double PresenceHz { get; init; } = 2500;

    public double PresenceDb { get; init; }

    public double HighShelfHz { get; init; } = 8000;

    public double HighShelfDb { get; init; }

    public double ThresholdDb { get; init; } = -18;

    public double Ratio { get; init; } = 1;

    public double AttackMilliseconds { get; init; } = 10;

    public double ReleaseMilliseconds { get; init; } = 150;

    /// <summary>The soft knee's width: the ratio comes in gradually over this many dB around the threshold.</summary>
    public double KneeDb { get; init; } = 6;
}
