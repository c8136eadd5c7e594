namespace ComposerBot.Music.LeadSheets;

/// <summary>A chord held from <see cref="Start"/> for <see cref="Duration"/> ticks.</summary>
public readonly record struct ChordSpan(long Start, long Duration, Chord Chord)
{
    public long End => Start + Duration;
}
