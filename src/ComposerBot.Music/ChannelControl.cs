namespace ComposerBot.Music;

/// <summary>What a <see cref="ChannelControl"/> changes on its channel.</summary>
public enum ChannelControlKind
{
    /// <summary>A control change: <c>Number</c> is the controller (0-127), <c>Value</c> its value (0-127).</summary>
    Controller,

    /// <summary>A program change: <c>Value</c> is the program (0-127); the bank is the last bank select's.</summary>
    Program,

    /// <summary>The pitch wheel: <c>Value</c> is 0-16383, 8192 in the middle.</summary>
    PitchBend,

    /// <summary>Channel pressure (aftertouch): <c>Value</c> is 0-127.</summary>
    ChannelPressure,
}

/// <summary>
/// A channel message other than a note, at a tick: what a MIDI file says to the instrument between the
/// notes (pedals, pitch wheel, program and bank changes, registered parameters through controllers).
/// </summary>
public readonly record struct ChannelControl(long Tick, ChannelControlKind Kind, int Number, int Value)
{
    public static ChannelControl Controller(long tick, int number, int value) => new(tick, ChannelControlKind.Controller, number, value);

    public static ChannelControl Program(long tick, int program) => new(tick, ChannelControlKind.Program, 0, program);

    public static ChannelControl PitchBend(long tick, int value) => new(tick, ChannelControlKind.PitchBend, 0, value);
}

/// <summary>A system exclusive message at a tick: its bytes after F0, without the closing F7.</summary>
public sealed record SystemExclusive(long Tick, ValueList<byte> Data);
