namespace ComposerBot.Music;

/// <summary>
/// Where the chip voices sit (the SoundFont <c>ComposerBot.Rendering.SoundFonts.ChipSoundFont</c> builds):
/// melodic voices in banks of their own, each on the General MIDI program it stands in for, so a player
/// without our SoundFont falls back to that program (a pulse lead to Lead 1 (square), the triangle to Synth
/// Bass 1); the noise kit on a drum program no General MIDI kit uses, where other players play their
/// standard kit.
/// </summary>
public static class ChipPresets
{
    /// <summary>The bank of the 12.5% pulse; 25% and 50% follow on the next banks.</summary>
    public const int PulseBank = 100;

    /// <summary>The program the pulses play on (General MIDI 81, Lead 1 (square)).</summary>
    public const int PulseProgram = 80;

    /// <summary>The bank of the 4-bit stepped triangle.</summary>
    public const int TriangleBank = 100;

    /// <summary>The triangle's program (General MIDI 39, Synth Bass 1).</summary>
    public const int TriangleProgram = 38;

    /// <summary>The noise-channel drum kit's program (bank 128).</summary>
    public const int NoiseKitProgram = 100;

    /// <summary>The pulse duties, in the order of their banks.</summary>
    public static readonly IReadOnlyList<double> Duties = [0.125, 0.25, 0.5];

    /// <summary>The bank of a pulse of this duty (0.125, 0.25 or 0.5).</summary>
    public static int PulseBankFor(double duty)
    {
        for (var i = 0; i < Duties.Count; i++)
        {
            if (Math.Abs(Duties[i] - duty) < 1e-9)
            {
                return PulseBank + i;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(duty), duty, "a chip pulse has a duty of 12.5%, 25% or 50%.");
    }

    /// <summary>The controls that put a track on a chip voice at a tick: bank select (controller 0), then the program.</summary>
    public static IEnumerable<ChannelControl> Select(long tick, int bank, int program) =>
        [ChannelControl.Controller(tick, 0, bank), ChannelControl.Controller(tick, 32, 0), ChannelControl.Program(tick, program)];
}
