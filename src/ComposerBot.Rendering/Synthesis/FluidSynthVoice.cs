namespace ComposerBot.Rendering.Synthesis;

/// <summary>One synthesizer instance for one render on one thread.</summary>
public sealed class FluidSynthVoice : IDisposable
{
    private readonly bool _owned;
    private IntPtr _synth;

    /// <summary>Wraps a synthesizer; one not <paramref name="owned"/> is left alive on dispose.</summary>
    internal FluidSynthVoice(IntPtr synth, bool owned = true) => (_synth, _owned) = (synth, owned);

    /// <summary>
    /// Makes a channel a drum kit (bank 128) or a melodic instrument of a bank and program; a SoundFont
    /// without the preset falls back to bank 0, then to its first program, as GM players do.
    /// </summary>
    public void SetUpChannel(int channel, int program, bool drum, int bank = 0)
    {
        if (FluidSynthNative.SetChannelType(_synth, channel, drum ? FluidSynthNative.ChannelTypeDrum : FluidSynthNative.ChannelTypeMelodic) != 0
            || FluidSynthNative.BankSelect(_synth, channel, drum ? 128 : bank) != 0)
        {
            throw new RenderException($"FluidSynth could not make channel {channel} a {(drum ? "drum" : "melodic")} channel.");
        }

        if (FluidSynthNative.ProgramChange(_synth, channel, program) != 0)
        {
            _ = FluidSynthNative.ProgramChange(_synth, channel, 0);
        }
    }

    /// <summary>A control change, passed on as it is (FluidSynth keeps pedals, registered parameters and the rest).</summary>
    public void ControlChange(int channel, int controller, int value) => _ = FluidSynthNative.ControlChange(_synth, channel, controller, value);

    /// <summary>The pitch wheel, 0-16383 (8192 in the middle).</summary>
    public void PitchBend(int channel, int value) => _ = FluidSynthNative.PitchBend(_synth, channel, value);

    /// <summary>How far the wheel bends at its ends, in whole semitones.</summary>
    public void PitchWheelSensitivity(int channel, int semitones) => _ = FluidSynthNative.PitchWheelSensitivity(_synth, channel, semitones);

    public void ChannelPressure(int channel, int value) => _ = FluidSynthNative.ChannelPressure(_synth, channel, value);

    /// <summary>Every channel back to its power-on state (programs, controllers, tunings), all voices off.</summary>
    public void Reset() => _ = FluidSynthNative.SystemReset(_synth);

    public void SetGain(double gain) => FluidSynthNative.SetGain(_synth, (float)gain);

    /// <summary>
    /// Tunes a channel: each pitch class offset by its cents in every octave (all zero: equal temperament).
    /// Notes already sounding move with it.
    /// </summary>
    public unsafe void Tune(int channel, ReadOnlySpan<double> centsByPitchClass)
    {
        if (!centsByPitchClass.ContainsAnyExcept(0.0))
        {
            _ = FluidSynthNative.DeactivateTuning(_synth, channel, 1);
            return;
        }

        // One tuning per channel, numbered by the channel (bank, program) so channels never share one.
        var (bank, program) = Math.DivRem(channel, 128);
        fixed (double* pitch = centsByPitchClass)
        {
            if (FluidSynthNative.ActivateOctaveTuning(_synth, bank, program, $"channel {channel}", pitch, 1) != 0
                || FluidSynthNative.ActivateTuning(_synth, channel, bank, program, 1) != 0)
            {
                throw new RenderException($"FluidSynth could not tune channel {channel}.");
            }
        }
    }

    /// <summary>Strikes a note; a channel without a preset stays silent, as on a MIDI device.</summary>
    public void NoteOn(int channel, int key, int velocity) => _ = FluidSynthNative.NoteOn(_synth, channel, key, velocity);

    /// <summary>Releases a note; releasing one that was already stolen is not an error.</summary>
    public void NoteOff(int channel, int key) => _ = FluidSynthNative.NoteOff(_synth, channel, key);

    /// <summary>Renders <paramref name="frames"/> stereo frames, interleaved, into the span.</summary>
    public unsafe void Render(Span<float> interleaved, int frames)
    {
        fixed (float* buffer = interleaved)
        {
            if (FluidSynthNative.WriteFloat(_synth, frames, buffer, 0, 2, buffer, 1, 2) != 0)
            {
                throw new RenderException("FluidSynth failed while rendering.");
            }
        }
    }

    public void Dispose()
    {
        if (_synth != IntPtr.Zero)
        {
            if (_owned)
            {
                FluidSynthNative.DeleteSynth(_synth);
            }

            _synth = IntPtr.Zero;
        }
    }
}
