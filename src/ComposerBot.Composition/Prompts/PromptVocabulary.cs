using ComposerBot.Composition.Requests;

namespace ComposerBot.Composition.Prompts;

/// <summary>
/// The words and phrases the prompt parser knows. The one said first in a prompt wins ("sad rain" is sad,
/// "rain, a bit sad" is calm); at one place the longer phrase wins ("rainy day" over "rainy").
/// </summary>
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

        // How people name them in game and stream music.
        ("jazzy hip hop", Style.LoFi), ("jazzhop", Style.LoFi), ("jazzy", Style.LoFi), ("jazz", Style.LoFi), ("coffee shop", Style.LoFi), ("cafe", Style.LoFi), ("café", Style.LoFi),
        ("video game", Style.Chiptune), ("arcade", Style.Chiptune), ("retro", Style.Chiptune), ("snes", Style.Chiptune), ("famicom", Style.Chiptune), ("platformer", Style.Chiptune), ("pixel art", Style.Chiptune),
        ("jrpg", Style.Orchestral), ("rpg", Style.Orchestral), ("film", Style.Orchestral), ("movie", Style.Orchestral), ("violins", Style.Orchestral), ("choir", Style.Orchestral), ("symphony", Style.Orchestral),
        ("cyberpunk", Style.Synthwave), ("electronic", Style.Synthwave), ("edm", Style.Synthwave), ("techno", Style.Synthwave), ("electro", Style.Synthwave), ("neon", Style.Synthwave), ("darksynth", Style.Synthwave),
        ("hard rock", Style.Rock), ("grunge", Style.Rock), ("garage", Style.Rock), ("electric guitar", Style.Rock), ("riff", Style.Rock), ("drums and guitar", Style.Rock),
        ("soundscape", Style.Ambient), ("pads", Style.Ambient), ("new age", Style.Ambient), ("zen", Style.Ambient), ("spa", Style.Ambient), ("yoga", Style.Ambient),
        ("lullaby", Style.Piano), ("music box", Style.Piano), ("ballad", Style.Piano), ("grand piano", Style.Piano),
        ("acoustic guitar", Style.Folk), ("medieval", Style.Folk), ("renaissance", Style.Folk), ("bluegrass", Style.Folk), ("country", Style.Folk), ("shanty", Style.Folk), ("sea shanty", Style.Folk), ("bard", Style.Folk), ("village", Style.Folk),
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

        // Everyday words of game and stream music, with their synonyms.
        ("final boss", Mood.Tense), ("combat", Mood.Tense), ("frantic", Mood.Tense), ("aggressive", Mood.Tense), ("anxious", Mood.Tense), ("nervous", Mood.Tense), ("thriller", Mood.Tense),
        ("stealth", Mood.Tense), ("racing", Mood.Tense), ("race", Mood.Tense), ("hype", Mood.Tense), ("hyped", Mood.Tense), ("war", Mood.Tense), ("escape", Mood.Tense), ("countdown", Mood.Tense), ("driving", Mood.Tense),
        ("rain vibes", Mood.Calm), ("rainy", Mood.Calm), ("rain", Mood.Calm), ("chilled", Mood.Calm), ("chillout", Mood.Calm), ("chill out", Mood.Calm), ("mellow", Mood.Calm), ("laid back", Mood.Calm),
        ("laid-back", Mood.Calm), ("lazy", Mood.Calm), ("soothing", Mood.Calm), ("tranquil", Mood.Calm), ("relax", Mood.Calm), ("focus", Mood.Calm), ("studying", Mood.Calm), ("homework", Mood.Calm),
        ("late night", Mood.Calm), ("comfy", Mood.Calm), ("cosy", Mood.Calm), ("warm", Mood.Calm), ("sunday morning", Mood.Calm), ("lounge", Mood.Calm), ("just chatting", Mood.Calm), ("starting soon", Mood.Calm),
        ("feel good", Mood.Happy), ("feel-good", Mood.Happy), ("uplifting", Mood.Happy), ("positive", Mood.Happy), ("lighthearted", Mood.Happy), ("light-hearted", Mood.Happy), ("summer", Mood.Happy),
        ("sunshine", Mood.Happy), ("carefree", Mood.Happy), ("optimistic", Mood.Happy), ("energetic", Mood.Happy), ("groovy", Mood.Happy), ("funky", Mood.Happy), ("party", Mood.Happy), ("dance", Mood.Happy),
        ("emotional", Mood.Sad), ("heartbreak", Mood.Sad), ("heartbroken", Mood.Sad), ("bittersweet", Mood.Sad), ("grief", Mood.Sad), ("tragic", Mood.Sad), ("farewell", Mood.Sad), ("goodbye", Mood.Sad),
        ("depressing", Mood.Sad), ("rainy day", Mood.Sad), ("game over", Mood.Sad), ("crying", Mood.Sad), ("sorrow", Mood.Sad), ("memorial", Mood.Sad),
        ("majestic", Mood.Epic), ("legendary", Mood.Epic), ("glorious", Mood.Epic), ("quest", Mood.Epic), ("journey", Mood.Epic), ("kingdom", Mood.Epic), ("fantasy", Mood.Epic), ("dragon", Mood.Epic),
        ("anthem", Mood.Epic), ("anthemic", Mood.Epic), ("inspiring", Mood.Epic), ("inspirational", Mood.Epic), ("hero", Mood.Epic), ("march", Mood.Epic),
        ("mysterious", Mood.Dark), ("mystery", Mood.Dark), ("scary", Mood.Dark), ("halloween", Mood.Dark), ("dungeon", Mood.Dark), ("cave", Mood.Dark), ("gloomy", Mood.Dark), ("menacing", Mood.Dark),
        ("villain", Mood.Dark), ("evil", Mood.Dark), ("ghost", Mood.Dark), ("ghostly", Mood.Dark), ("witch", Mood.Dark), ("noir", Mood.Dark), ("detective", Mood.Dark), ("suspicious", Mood.Dark), ("unsettling", Mood.Dark),
        ("night drive", Mood.Dreamy), ("magical", Mood.Dreamy), ("magic", Mood.Dreamy), ("enchanted", Mood.Dreamy), ("fairy", Mood.Dreamy), ("hazy", Mood.Dreamy), ("cosmic", Mood.Dreamy), ("starry", Mood.Dreamy),
        ("underwater", Mood.Dreamy), ("surreal", Mood.Dreamy), ("hypnotic", Mood.Dreamy), ("lush", Mood.Dreamy), ("romantic", Mood.Dreamy), ("hopeful", Mood.Dreamy), ("memories", Mood.Dreamy),
        ("goofy", Mood.Playful), ("funny", Mood.Playful), ("comedy", Mood.Playful), ("comedic", Mood.Playful), ("cartoon", Mood.Playful), ("cartoony", Mood.Playful), ("wacky", Mood.Playful),
        ("mischievous", Mood.Playful), ("sneaky", Mood.Playful), ("bubbly", Mood.Playful), ("kawaii", Mood.Playful), ("puzzle", Mood.Playful), ("toy", Mood.Playful),
        ("level complete", Mood.Triumphant), ("stage clear", Mood.Triumphant), ("winning", Mood.Triumphant), ("success", Mood.Triumphant), ("achievement", Mood.Triumphant), ("champion", Mood.Triumphant),
        ("trophy", Mood.Triumphant), ("new follower", Mood.Triumphant), ("raid", Mood.Triumphant), ("subscriber", Mood.Triumphant), ("donation", Mood.Triumphant),
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
