using System.Runtime.InteropServices;

namespace ComposerBot.Rendering.Synthesis;

/// <summary>The few FluidSynth 2.x entry points we use (Debian libfluidsynth3).</summary>
internal static partial class FluidSynthNative
{
    private const string Library = "libfluidsynth.so.3";

    public const int Failed = -1;
    public const int ChannelTypeMelodic = 0;
    public const int ChannelTypeDrum = 1;

    [LibraryImport(Library, EntryPoint = "new_fluid_settings")]
    public static partial IntPtr NewSettings();

    [LibraryImport(Library, EntryPoint = "delete_fluid_settings")]
    public static partial void DeleteSettings(IntPtr settings);

    [LibraryImport(Library, EntryPoint = "fluid_settings_setnum", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SetNum(IntPtr settings, string name, double value);

    [LibraryImport(Library, EntryPoint = "fluid_settings_setint", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SetInt(IntPtr settings, string name, int value);

    [LibraryImport(Library, EntryPoint = "new_fluid_synth")]
    public static partial IntPtr NewSynth(IntPtr settings);

    [LibraryImport(Library, EntryPoint = "delete_fluid_synth")]
    public static partial void DeleteSynth(IntPtr synth);

    [LibraryImport(Library, EntryPoint = "fluid_synth_sfload", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SoundFontLoad(IntPtr synth, string path, int resetPresets);

    [LibraryImport(Library, EntryPoint = "fluid_synth_noteon")]
    public static partial int NoteOn(IntPtr synth, int channel, int key, int velocity);

    [LibraryImport(Library, EntryPoint = "fluid_synth_noteoff")]
    public static partial int NoteOff(IntPtr synth, int channel, int key);

    [LibraryImport(Library, EntryPoint = "fluid_synth_program_change")]
    public static partial int ProgramChange(IntPtr synth, int channel, int program);

    [LibraryImport(Library, EntryPoint = "fluid_synth_bank_select")]
    public static partial int BankSelect(IntPtr synth, int channel, int bank);

    [LibraryImport(Library, EntryPoint = "fluid_synth_set_channel_type")]
    public static partial int SetChannelType(IntPtr synth, int channel, int type);

    [LibraryImport(Library, EntryPoint = "fluid_synth_cc")]
    public static partial int ControlChange(IntPtr synth, int channel, int controller, int value);

    [LibraryImport(Library, EntryPoint = "fluid_synth_pitch_bend")]
    public static partial int PitchBend(IntPtr synth, int channel, int value);

    [LibraryImport(Library, EntryPoint = "fluid_synth_pitch_wheel_sens")]
    public static partial int PitchWheelSensitivity(IntPtr synth, int channel, int semitones);

    [LibraryImport(Library, EntryPoint = "fluid_synth_channel_pressure")]
    public static partial int ChannelPressure(IntPtr synth, int channel, int value);

    [LibraryImport(Library, EntryPoint = "fluid_synth_system_reset")]
    public static partial int SystemReset(IntPtr synth);

    [LibraryImport(Library, EntryPoint = "fluid_synth_set_gain")]
    public static partial void SetGain(IntPtr synth, float gain);

    [LibraryImport(Library, EntryPoint = "fluid_synth_activate_octave_tuning", StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int ActivateOctaveTuning(IntPtr synth, int bank, int program, string name, double* pitch, int apply);

    [LibraryImport(Library, EntryPoint = "fluid_synth_activate_tuning")]
    public static partial int ActivateTuning(IntPtr synth, int channel, int bank, int program, int apply);

    [LibraryImport(Library, EntryPoint = "fluid_synth_deactivate_tuning")]
    public static partial int DeactivateTuning(IntPtr synth, int channel, int apply);

    [LibraryImport(Library, EntryPoint = "fluid_synth_write_float")]
    public static unsafe partial int WriteFloat(IntPtr synth, int length, float* left, int leftOffset, int leftIncrement, float* right, int rightOffset, int rightIncrement);

    [LibraryImport(Library, EntryPoint = "fluid_set_log_function")]
    public static partial IntPtr SetLogFunction(int level, IntPtr function, IntPtr data);
}
