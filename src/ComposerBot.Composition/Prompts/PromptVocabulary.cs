using ComposerBot.Composition.Requests;

namespace ComposerBot.Composition.Prompts;

/// <summary>The words and phrases the prompt parser knows, longest phrases first where they overlap.</summary>
internal static class PromptVocabulary
{
    public static readonly (string Phrase, Style Style)[] Styles =
    [
        ("lo-fi hip-hop", Style.LoFi), ("lofi hip hop", Style.LoFi), ("lo fi", Style.LoFi), ("lo-fi", Style.LoFi), ("lofi", Style.LoFi),
        ("chillhop", Style.LoFi), ("study beat", Style.LoFi), ("hip-hop", Style.LoFi), ("hip hop", Style.LoFi), ("boom bap", Style.LoFi),
        ("chiptune", Style.Chiptune), ("chip tune", Style.Chiptune), ("8-bit", Style.Chiptune), ("8bit", Style.Chiptune), ("8 bit", Style.Chiptune),
        ("16-bit", Style.Chiptune), ("nes", Style.Chiptune), ("gameboy", Style.Chiptune), ("game boy", Style.Chiptune), ("pixel", Style.Chiptune), ("retro game", Style.Chiptune),
        ("orchestral", Style.Orchestral), ("orchestra", Style.Orchestral), ("cinematic", Style.Orchestral), ("symphonic", Style.Orchestral),
        ("film score", Style.Orchestral), ("trailer", Style.Orchestral), ("strings", Style.Orchestral), ("fanfare", Style.Orchestral), ("brass", Style.Orchestral),
        ("synthwave", Style.Synthwave), ("retrowave", Style.Synthwave), ("outrun", Style.Synthwave), ("vaporwave", Style.Synthwave), ("synth", Style.Synthwave),
        ("rock", Style.Rock), ("metal", Style.Rock), ("punk", Style.Rock), ("guitar", Style.Rock), ("action", Style.Rock),
        ("ambient", Style.Ambient), ("atmospheric", Style.Ambient), ("drone", Style.Ambient), ("meditation", Style.Ambient), ("space", Style.Ambient),
        ("solo piano", Style.Piano), ("piano", Style.Piano), ("keys", Style.Piano), ("nocturne", Style.Piano),
        ("celtic", Style.Folk), ("irish", Style.Folk), ("folk", Style.Folk), ("fiddle", Style.Folk), ("tavern", Style.Folk), ("jig", Style.Folk), ("reel", Style.Folk), ("hornpipe", Style.Folk),
    ];

    public static readonly (string Phrase, Mood Mood)[] Moods =
    [
        ("boss fight", Mood.Tense), ("boss", Mood.Tense), ("battle", Mood.Tense), ("fight", Mood.Tense), ("tense", Mood.Tense), ("suspense", Mood.Tense),
        ("suspenseful", Mood.Tense), ("urgent", Mood.Tense), ("intense", Mood.Tense), ("chase", Mood.Tense), ("danger", Mood.Tense),
        ("calm", Mood.Calm), ("relaxing", Mood.Calm), ("relaxed", Mood.Calm), ("chill", Mood.Calm), ("peaceful", Mood.Calm), ("gentle", Mood.Calm),
        ("soft", Mood.Calm), ("quiet", Mood.Calm), ("serene", Mood.Calm), ("study", Mood.Calm), ("sleep", Mood.Calm), ("cozy", Mood.Calm),
        ("happy", Mood.Happy), ("cheerful", Mood.Happy), ("upbeat", Mood.Happy), ("joyful", Mood.Happy), ("bright", Mood.Happy), ("sunny", Mood.Happy), ("fun", Mood.Happy),
        ("sad", Mood.Sad), ("melancholy", Mood.Sad), ("melancholic", Mood.Sad), ("somber", Mood.Sad), ("sombre", Mood.Sad), ("mournful", Mood.Sad), ("lonely", Mood.Sad), ("tearful", Mood.Sad),
        ("epic", Mood.Epic), ("heroic", Mood.Epic), ("grand", Mood.Epic), ("powerful", Mood.Epic), ("adventure", Mood.Epic),
        ("dark", Mood.Dark), ("ominous", Mood.Dark), ("spooky", Mood.Dark), ("creepy", Mood.Dark), ("haunted", Mood.Dark), ("eerie", Mood.Dark), ("sinister", Mood.Dark), ("horror", Mood.Dark),
        ("dreamy", Mood.Dreamy), ("ethereal", Mood.Dreamy), ("floating", Mood.Dreamy), ("nostalgic", Mood.Dreamy), ("wistful", Mood.Dreamy),
        ("playful", Mood.Playful), ("quirky", Mood.Playful), ("silly", Mood.Playful), ("bouncy", Mood.Playful), ("whimsical", Mood.Playful), ("cute", Mood.Playful),
        ("triumphant", Mood.Triumphant), ("victory", Mood.Triumphant), ("victorious", Mood.Triumphant), ("celebration", Mood.Triumphant), ("win", Mood.Triumphant), ("level up", Mood.Triumphant),
    ];

    /// <summary>When a prompt names a mood but no style, the style that suits it.</summary>
    public static Style StyleForMood(Mood mood) => mood switch
    {
        Mood.Epic or Mood.Triumphant => Style.Orchestral,
        Mood.Tense => Style.Rock,
        Mood.Calm or Mood.Dreamy => Style.Ambient,
        Mood.Dark => Style.Orchestral,
        Mood.Playful => Style.Chiptune,
        Mood.Happy => Style.Folk,
        _ => Style.Piano,
    };
}
