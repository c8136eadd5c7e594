namespace ComposerBot.Composition.Requests;

public enum Mood
{
    Neutral,
    Calm,
    Happy,
    Sad,
    Tense,
    Epic,
    Dark,
    Dreamy,
    Playful,
    Triumphant,
}
