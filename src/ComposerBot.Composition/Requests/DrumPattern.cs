namespace ComposerBot.Composition.Requests;

public enum DrumPattern
{
    None,
    Chip,
    Orchestral,
    LoFi,
    Rock,
    Folk,
    Synthwave,
}
