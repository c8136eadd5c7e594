using NAudio.Midi;

namespace ComposerBot.Music;

/// <summary>General MIDI facts: program names and the percussion channel.</summary>
public static class GeneralMidi
{
    /// <summary>The General MIDI name of a program number (0-127).</summary>
    public static string ProgramName(int program) =>
        program is >= 0 and < 128 ? PatchChangeEvent.GetPatchName(program) : $"Program {program}";
}
