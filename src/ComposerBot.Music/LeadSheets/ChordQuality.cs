namespace ComposerBot.Music.LeadSheets;

public enum ChordQuality
{
    Major,
    Minor,
    Diminished,
    Augmented,
    Suspended4,
    Dominant7,
    Major7,
    Minor7,
}
