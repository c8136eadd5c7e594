namespace ComposerBot.Composition.Requests;

public enum Style
{
    Chiptune,
    Orchestral,
    LoFi,
    Rock,
    Ambient,
    Piano,
    Folk,
    Synthwave,
}
