using ComposerBot.Composition.Requests;
using ComposerBot.Rendering.Mixing;

namespace ComposerBot.Studio;

/// <summary>
/// Each style's mix bus, between the synthesizer and the loudness normaliser: chiptune's pulses tamed at the
/// top and held together by a quick compressor; orchestral left open (a gentle, slow compressor, a little
/// air); lo-fi dulled at the top, warmed at the bottom and glued; rock with weight, presence and firm
/// compression; ambient barely touched; piano and folk with light, even compression; synthwave with
/// sub-bass and sheen and a pumping-free 2.5:1.
/// </summary>
public static class StyleBus
{
    private static readonly Dictionary<Style, BusSettings> Buses = new()
    {
        [Style.Chiptune] = new() { HighPassHz = 30, HighShelfHz = 9000, HighShelfDb = -2, ThresholdDb = -16, Ratio = 2, AttackMilliseconds = 5, ReleaseMilliseconds = 80 },
        [Style.Orchestral] = new() { HighPassHz = 25, LowShelfHz = 150, LowShelfDb = 1, HighShelfHz = 9000, HighShelfDb = 1, ThresholdDb = -22, Ratio = 1.5, AttackMilliseconds = 30, ReleaseMilliseconds = 300 },
        [Style.LoFi] = new() { HighPassHz = 40, LowShelfHz = 120, LowShelfDb = 2, HighShelfHz = 6000, HighShelfDb = -5, ThresholdDb = -20, Ratio = 3, AttackMilliseconds = 15, ReleaseMilliseconds = 200 },
        [Style.Rock] = new() { HighPassHz = 35, LowShelfHz = 100, LowShelfDb = 2, PresenceHz = 3000, PresenceDb = 2, ThresholdDb = -18, Ratio = 3, AttackMilliseconds = 10, ReleaseMilliseconds = 120 },
        [Style.Ambient] = new() { LowShelfHz = 120, LowShelfDb = 1, HighShelfHz = 10000, HighShelfDb = 1, ThresholdDb = -24, Ratio = 1.3, AttackMilliseconds = 50, ReleaseMilliseconds = 500 },
        [Style.Piano] = new() { HighPassHz = 25, HighShelfHz = 10000, HighShelfDb = 0.5, ThresholdDb = -20, Ratio = 1.5, AttackMilliseconds = 20, ReleaseMilliseconds = 250 },
        [Style.Folk] = new() { HighPassHz = 35, LowShelfHz = 200, LowShelfDb = -1, PresenceHz = 2500, PresenceDb = 1, ThresholdDb = -20, Ratio = 2, AttackMilliseconds = 15, ReleaseMilliseconds = 180 },
        [Style.Synthwave] = new() { HighPassHz = 25, LowShelfHz = 80, LowShelfDb = 2, HighShelfHz = 10000, HighShelfDb = 2, ThresholdDb = -18, Ratio = 2.5, AttackMilliseconds = 10, ReleaseMilliseconds = 150 },
    };

    public static BusSettings For(Style style) => Buses[style];
}
