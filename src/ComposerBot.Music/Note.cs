namespace ComposerBot.Music;

/// <summary>A note: MIDI pitch, start and duration in ticks, and velocity (1-127).</summary>
public readonly record struct Note(int Pitch, long Start, long Duration, int Velocity)
{
    public long End => Start + Duration;
}
