namespace ComposerBot.Rendering.Synthesis;

/// <summary>One synthesizer instance for one render on one thread.</summary>
public sealed class FluidSynthVoice : IDisposable
{
    private IntPtr _synth;

    internal FluidSynthVoice(IntPtr synth) => _synth = synth;

    public void SetUpChannel(int channel, int program, bool drum)
    {
        if (drum && (FluidSynthNative.SetChannelType(_synth, channel, FluidSynthNative.ChannelTypeDrum) != 0
                     || FluidSynthNative.BankSelect(_synth, channel, 128) != 0))
        {
            throw new RenderException($"FluidSynth could not make channel {channel} a drum channel.");
        }

        // A SoundFont without this preset falls back to the first program of the bank, as GM players do.
        if (FluidSynthNative.ProgramChange(_synth, channel, program) != 0)
        {
            _ = FluidSynthNative.ProgramChange(_synth, channel, 0);
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
            FluidSynthNative.DeleteSynth(_synth);
            _synth = IntPtr.Zero;
        }
    }
}
