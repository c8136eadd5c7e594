namespace ComposerBot.Music.Midi;

/// <summary>The bytes are not a usable Standard MIDI File; the message says why in one line.</summary>
public sealed class MidiFormatException : FormatException
{
    public MidiFormatException(string message)
        : base(message)
    {
    }

    public MidiFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MidiFormatException()
    {
    }
}
