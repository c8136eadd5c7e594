namespace ComposerBot.Music;

/// <summary>How to spell a key that has two names (F# or Gb major).</summary>
public enum Accidentals
{
    Fewest,
    Sharps,
    Flats,
}
