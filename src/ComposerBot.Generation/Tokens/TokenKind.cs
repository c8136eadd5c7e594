namespace ComposerBot.Generation.Tokens;

public enum TokenKind
{
    Pad,
    Begin,
    End,
    Feel,
    Meter,
    Key,
    Mode,
    Tempo,
    Bars,
    Density,
    Section,
    Bar,
    Position,
    Chord,
    Pitch,
    Duration,
}
