namespace ComposerBot.Music;

/// <summary>
/// One instrument part: a General MIDI program on a channel (channel 9 is the drum kit), and its notes
/// in start order. <see cref="Controls"/> holds what a MIDI file said to the channel between the notes
/// (later program changes, pedals, pitch wheel, registered parameters), in time order; empty for a part
/// the composer writes.
/// </summary>
public sealed record Track(string Name, int Program, int Channel, bool IsDrum, ValueList<Note> Notes)
{
    public const int DrumChannel = 9;

    public ValueList<ChannelControl> Controls { get; init; } = ValueList.Of<ChannelControl>();

    /// <summary>The General MIDI name of this track's instrument.</summary>
    public string InstrumentName => IsDrum ? "Drum kit" : GeneralMidi.ProgramName(Program);

    /// <summary>Returns the notes in the canonical order: start, pitch, duration, velocity.</summary>
    public static ValueList<Note> Sort(IEnumerable<Note> notes) =>
        notes.OrderBy(n => n.Start).ThenBy(n => n.Pitch).ThenBy(n => n.Duration).ThenBy(n => n.Velocity).ToValueList();
}
