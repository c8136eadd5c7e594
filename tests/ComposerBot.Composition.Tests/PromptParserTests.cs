using ComposerBot.Composition.Prompts;
using ComposerBot.Composition.Requests;

namespace ComposerBot.Composition.Tests;

public class PromptParserTests
{
    /// <summary>
    /// prompt | style | mood | tempo | key | meter | seconds | bars | flags (L loop, S stinger, N no drums, T stems).
    /// Empty cells mean "left to the defaults".
    /// </summary>
    public static TheoryData<string, string, string, string, string, string, string, string, string> Prompts => new()
    {
        { "tense chiptune boss fight 45 s loop in D minor at 160 bpm", "Chiptune", "Tense", "160", "D minor", "", "45", "", "L" },
        { "calm lo-fi study beat", "LoFi", "Calm", "", "", "", "", "", "" },
        { "victory fanfare 4 seconds", "Orchestral", "Triumphant", "", "", "", "4", "", "S" },
        { "sad piano waltz", "Piano", "Sad", "", "", "3/4", "", "", "" },
        { "happy chiptune", "Chiptune", "Happy", "", "", "", "", "", "" },
        { "8-bit level up jingle 3s", "Chiptune", "Triumphant", "", "", "", "3", "", "S" },
        { "epic orchestral trailer 2 min", "Orchestral", "Epic", "", "", "", "120", "", "" },
        { "dark ambient drone 90 seconds", "Ambient", "Dark", "", "", "", "90", "", "" },
        { "upbeat rock 120bpm", "Rock", "Happy", "120", "", "", "", "", "" },
        { "chill lofi hip hop in F#m", "LoFi", "Calm", "", "F# minor", "", "", "", "" },
        { "celtic jig in G", "Folk", "Neutral", "", "G major", "6/8", "", "", "" },
        { "irish reel 32 bars", "Folk", "Neutral", "", "", "4/4", "", "32", "" },
        { "synthwave night drive 100 bpm in Bb major", "Synthwave", "Dreamy", "100", "Bb major", "", "", "", "" },
        { "retrowave outrun 1:30", "Synthwave", "Neutral", "", "", "", "90", "", "" },
        { "spooky piano 30 sec no drums", "Piano", "Dark", "", "", "", "30", "", "N" },
        { "dreamy ambient pads seamless", "Ambient", "Dreamy", "", "", "", "", "", "L" },
        { "heroic orchestral theme in C major", "Orchestral", "Epic", "", "C major", "", "", "", "" },
        { "melancholy solo piano in E minor 3/4", "Piano", "Sad", "", "E minor", "3/4", "", "", "" },
        { "fast metal battle", "Rock", "Tense", "", "", "", "", "", "" },
        { "slow relaxing ambient 5 minutes", "Ambient", "Calm", "", "", "", "300", "", "" },
        { "quirky chiptune puzzle game loop 16 bars", "Chiptune", "Playful", "", "", "", "", "16", "L" },
        { "tavern folk song", "Folk", "Neutral", "", "", "", "", "", "" },
        { "cinematic suspense 60s", "Orchestral", "Tense", "", "", "", "60", "", "" },
        { "cozy lo-fi with stems", "LoFi", "Calm", "", "", "", "", "", "T" },
        { "80s synth chase at 118 bpm", "Synthwave", "Tense", "118", "", "", "", "", "" },
        { "piano nocturne in Db major", "Piano", "Neutral", "", "Db major", "", "", "", "" },
        { "stinger", "Piano", "Neutral", "", "", "", "", "", "S" },
        { "rock stinger 5 seconds", "Rock", "Neutral", "", "", "", "5", "", "S" },
        { "game boy music 45s", "Chiptune", "Neutral", "", "", "", "45", "", "" },
        { "gentle fiddle air in A minor", "Folk", "Calm", "", "A minor", "", "", "", "" },
        { "slip jig", "Folk", "Neutral", "", "", "9/8", "", "", "" },
        { "hornpipe in D", "Folk", "Neutral", "", "D major", "4/4", "", "", "" },
        { "sombre strings", "Orchestral", "Sad", "", "", "", "", "", "" },
        { "ominous brass 20 s", "Orchestral", "Dark", "", "", "", "20", "", "" },
        { "joyful orchestral waltz", "Orchestral", "Happy", "", "", "3/4", "", "", "" },
        { "space ambient at 60 bpm", "Ambient", "Neutral", "60", "", "", "", "", "" },
        { "meditation drone without drums", "Ambient", "Neutral", "", "", "", "", "", "N" },
        { "punk rock 2:00", "Rock", "Neutral", "", "", "", "120", "", "" },
        { "action guitar loop 30s", "Rock", "Neutral", "", "", "", "30", "", "L" },
        { "vaporwave dreamy", "Synthwave", "Dreamy", "", "", "", "", "", "" },
        { "horror piano in C# minor", "Piano", "Dark", "", "C# minor", "", "", "", "" },
        { "silly 8bit bouncy tune", "Chiptune", "Playful", "", "", "", "", "", "" },
        { "victory", "Orchestral", "Triumphant", "", "", "", "", "", "" },
        { "peaceful", "Ambient", "Calm", "", "", "", "", "", "" },
        { "intense boss battle music 1 min", "Rock", "Tense", "", "", "", "60", "", "" },
        { "nostalgic piano 8 bars", "Piano", "Dreamy", "", "", "", "", "8", "" },
        { "epic 4/4 orchestral 150 bpm in Eb minor", "Orchestral", "Epic", "150", "Eb minor", "4/4", "", "", "" },
        { "lofi beat in the key of A", "LoFi", "Neutral", "", "A major", "", "", "", "" },
        { "study music, lo-fi, 2.5 min", "LoFi", "Calm", "", "", "", "150", "", "" },
        { "folk polka", "Folk", "Neutral", "", "", "2/4", "", "", "" },
        { "military march", "Orchestral", "Epic", "", "", "2/4", "", "", "" },
        { "sunny folk 6/8", "Folk", "Happy", "", "", "6/8", "", "", "" },
        { "haunted chiptune", "Chiptune", "Dark", "", "", "", "", "", "" },
        { "bright synthwave 95bpm loop", "Synthwave", "Happy", "95", "", "", "", "", "L" },
        { "lonely piano, minor", "Piano", "Sad", "", "", "", "", "", "" },
        { "triumphant brass fanfare 6 seconds", "Orchestral", "Triumphant", "", "", "", "6", "", "S" },
        { "transition whoosh 2s", "Piano", "Neutral", "", "", "", "2", "", "S" },
        { "ethereal space music 3 minutes no drums", "Ambient", "Dreamy", "", "", "", "180", "", "N" },
        { "cheerful reel at 130 bpm in A", "Folk", "Happy", "130", "A major", "4/4", "", "", "" },
        { "rock in E minor 64 bars", "Rock", "Neutral", "", "E minor", "", "", "64", "" },
        { "a song about nothing in particular", "Piano", "Neutral", "", "", "", "", "", "" },
        { "CHIPTUNE BOSS FIGHT!!!", "Chiptune", "Tense", "", "", "", "", "", "" },
        // Prompts as people type them for games and streams (issue 22), with tempos that must be kept exactly.
        { "heroic march in E flat major at 110 bpm", "Orchestral", "Epic", "110", "Eb major", "2/4", "", "", "" },
        { "fast celtic reel in G major 140bpm", "Folk", "Tense", "140", "G major", "4/4", "", "", "" },
        { "synthwave night drive 90 bpm F#m", "Synthwave", "Dreamy", "90", "F# minor", "", "", "", "" },
        { "boss battle phase 2 intense 180 bpm loop", "Rock", "Tense", "180", "", "", "", "", "L" },
        { "mysterious dungeon crawl", "Orchestral", "Dark", "", "", "", "", "", "" },
        { "spooky halloween chiptune", "Chiptune", "Dark", "", "", "", "", "", "" },
        { "chill rain vibes", "Ambient", "Calm", "", "", "", "", "", "" },
        { "cozy coffee shop jazz", "LoFi", "Calm", "", "", "", "", "", "" },
        { "rainy day piano", "Piano", "Sad", "", "", "", "", "", "" },
        { "sad rain", "Piano", "Sad", "", "", "", "", "", "" },
        { "rain, a bit sad", "Ambient", "Calm", "", "", "", "", "", "" },
        { "late night lofi study session", "LoFi", "Calm", "", "", "", "", "", "" },
        { "mellow jazzy hip hop 85 bpm", "LoFi", "Calm", "85", "", "", "", "", "" },
        { "uplifting feel-good acoustic guitar", "Folk", "Happy", "", "", "", "", "", "" },
        { "sad farewell strings in D minor", "Orchestral", "Sad", "", "D minor", "", "", "", "" },
        { "epic fantasy quest theme", "Orchestral", "Epic", "", "", "", "", "", "" },
        { "jrpg town theme in F major", "Orchestral", "Neutral", "", "F major", "", "", "", "" },
        { "goofy cartoon chase", "Chiptune", "Playful", "", "", "", "", "", "" },
        { "sneaky stealth mission", "Chiptune", "Playful", "", "", "", "", "", "" },
        { "stealth mission, sneaky", "Rock", "Tense", "", "", "", "", "", "" },
        { "magical fairy forest", "Ambient", "Dreamy", "", "", "", "", "", "" },
        { "cyberpunk city at night 100 bpm", "Synthwave", "Neutral", "100", "", "", "", "", "" },
        { "retro arcade racing 150 bpm", "Chiptune", "Tense", "150", "", "", "", "", "" },
        { "stage clear jingle 3 s", "Orchestral", "Triumphant", "", "", "", "3", "", "S" },
        { "new follower alert 2 seconds", "Orchestral", "Triumphant", "", "", "", "2", "", "S" },
        { "raid alert chiptune 4s", "Chiptune", "Triumphant", "", "", "", "4", "", "S" },
        { "game over sting 2s", "Piano", "Sad", "", "", "", "2", "", "S" },
        { "starting soon loop lofi 90 s", "LoFi", "Calm", "", "", "", "90", "", "L" },
        { "just chatting background music 2 min", "Ambient", "Calm", "", "", "", "120", "", "" },
        { "lush ambient pads 4 min no drums", "Ambient", "Dreamy", "", "", "", "240", "", "N" },
        { "medieval tavern song in D dorian", "Folk", "Neutral", "", "D major", "", "", "", "" },
        { "sea shanty 6/8 at 100 bpm", "Folk", "Neutral", "100", "", "6/8", "", "", "" },
        { "bluegrass hoedown 140 bpm", "Folk", "Neutral", "140", "", "", "", "", "" },
        { "lullaby music box 3/4", "Piano", "Neutral", "", "", "3/4", "", "", "" },
        { "romantic piano ballad in Ab major", "Piano", "Dreamy", "", "Ab major", "", "", "", "" },
        { "sad piano in c sharp minor", "Piano", "Sad", "", "C# minor", "", "", "", "" },
        { "dark synth in f-sharp minor 110 bpm", "Synthwave", "Dark", "110", "F# minor", "", "", "", "" },
        { "happy folk in b flat", "Folk", "Happy", "", "Bb major", "", "", "", "" },
        { "epic orchestra in e♭ minor", "Orchestral", "Epic", "", "Eb minor", "", "", "", "" },
        { "tense thriller strings 75 bpm", "Orchestral", "Tense", "75", "", "", "", "", "" },
        { "noir detective jazz", "LoFi", "Dark", "", "", "", "", "", "" },
        { "underwater level ambient", "Ambient", "Dreamy", "", "", "", "", "", "" },
        { "puzzle game music 2:30", "Chiptune", "Playful", "", "", "", "150", "", "" },
        { "space exploration ambient 10 minutes", "Ambient", "Neutral", "", "", "", "600", "", "" },
        { "hard rock riff 140bpm", "Rock", "Neutral", "140", "", "", "", "", "" },
        { "energetic edm 128 bpm", "Synthwave", "Happy", "128", "", "", "", "", "" },
        { "aggressive metal 200 bpm", "Rock", "Tense", "200", "", "", "", "", "" },
        { "hopeful piano theme", "Piano", "Dreamy", "", "", "", "", "", "" },
        { "inspiring cinematic 1 minute", "Orchestral", "Epic", "", "", "", "60", "", "" },
        { "victory fanfare for a tournament 5 seconds", "Orchestral", "Triumphant", "", "", "", "5", "", "S" },
        { "horror ambient drone 2 min", "Ambient", "Dark", "", "", "", "120", "", "" },
        { "happy 8-bit music at 150 bpm in C", "Chiptune", "Happy", "150", "C major", "", "", "", "" },
        { "calm piano in 6/8", "Piano", "Calm", "", "", "6/8", "", "", "" },
        { "waltz in a minor", "Piano", "Neutral", "", "A minor", "3/4", "", "", "" },
        { "jig at 120 bpm", "Folk", "Neutral", "120", "", "6/8", "", "", "" },
        { "slow sad strings 60 bpm", "Orchestral", "Sad", "60", "", "", "", "", "" },
        { "funky groovy bass 100 bpm", "Folk", "Happy", "100", "", "", "", "", "" },
        { "dreamy synthwave loop 32 bars", "Synthwave", "Dreamy", "", "", "", "", "32", "L" },
        { "calm lo-fi study beat 30 s", "LoFi", "Calm", "", "", "", "30", "", "" },
        { "epic boss fight 2 minutes loop", "Orchestral", "Epic", "", "", "", "120", "", "L" },
        { "zen meditation 5 min", "Ambient", "Neutral", "", "", "", "300", "", "" },
        { "yoga spa music", "Ambient", "Neutral", "", "", "", "", "", "" },
        { "party dance chiptune", "Chiptune", "Happy", "", "", "", "", "", "" },
        { "kawaii cute pop", "Chiptune", "Playful", "", "", "", "", "", "" },
        { "dragon battle orchestral", "Orchestral", "Epic", "", "", "", "", "", "" },
        { "haunted mansion 45 s loop", "Orchestral", "Dark", "", "", "", "45", "", "L" },
        { "winning streak 4 s", "Orchestral", "Triumphant", "", "", "", "4", "", "S" },
        { "tragic ballad", "Piano", "Sad", "", "", "", "", "", "" },
        { "anthem for my channel", "Orchestral", "Epic", "", "", "", "", "", "" },
        { "warm acoustic guitar", "Folk", "Calm", "", "", "", "", "", "" },
        { "cosmic synth 90 bpm", "Synthwave", "Dreamy", "90", "", "", "", "", "" },
        { "suspicious sneaky music", "Orchestral", "Dark", "", "", "", "", "", "" },
        { "evil villain theme in C minor", "Orchestral", "Dark", "", "C minor", "", "", "", "" },
        { "chillout electronic", "Synthwave", "Calm", "", "", "", "", "", "" },
        { "heartbreak piano 3/4", "Piano", "Sad", "", "", "3/4", "", "", "" },
        { "summer vibes folk", "Folk", "Happy", "", "", "", "", "", "" },
        { "comedy sketch transition 1s", "Chiptune", "Playful", "", "", "", "1", "", "S" },
        { "countdown timer 10 seconds", "Rock", "Tense", "", "", "", "10", "", "S" },
        { "escape room 90 s", "Rock", "Tense", "", "", "", "90", "", "" },
        { "memorial strings", "Orchestral", "Sad", "", "", "", "", "", "" },
        { "glorious kingdom march", "Orchestral", "Epic", "", "", "2/4", "", "", "" },
        { "polka 110 bpm", "Piano", "Neutral", "110", "", "2/4", "", "", "" },
        { "orchestral hymn in G major", "Orchestral", "Neutral", "", "G major", "", "", "", "" },
        { "neon night drive 1:45 loop", "Synthwave", "Dreamy", "", "", "", "105", "", "L" },
        { "driving rock 130 bpm", "Rock", "Tense", "130", "", "", "", "", "" },
        { "peaceful village morning", "Folk", "Calm", "", "", "", "", "", "" },
        { "bard song in E minor at 95 bpm", "Folk", "Neutral", "95", "E minor", "", "", "", "" },
        { "ghostly choir", "Orchestral", "Dark", "", "", "", "", "", "" },
        { "enchanted music box lullaby", "Piano", "Dreamy", "", "", "", "", "", "" },
        { "toy piano playful", "Piano", "Playful", "", "", "", "", "", "" },
        { "snes rpg battle at 170 bpm", "Chiptune", "Tense", "170", "", "", "", "", "" },
        { "mysterious forest. 60 s.", "Orchestral", "Dark", "", "", "", "60", "", "" },
        { "Chill beats (lofi) 2.5 min?", "LoFi", "Calm", "", "", "", "150", "", "" },
        { "lofi 45 s at 72 bpm", "LoFi", "Neutral", "72", "", "", "45", "", "" },
        { "orchestral 30 s at 97 bpm", "Orchestral", "Neutral", "97", "", "", "30", "", "" },
        { "folk reel 1 min 113 bpm", "Folk", "Neutral", "113", "", "4/4", "60", "", "" },
        { "ambient 2 min at 61 bpm in 3/4", "Ambient", "Neutral", "61", "", "3/4", "120", "", "" },
        { "chiptune 20 s loop at 175 bpm", "Chiptune", "Neutral", "175", "", "", "20", "", "L" },
    };

    [Theory]
    [MemberData(nameof(Prompts))]
    public void Prompts_are_understood(string prompt, string style, string mood, string tempo, string key, string meter, string seconds, string bars, string flags)
    {
        var r = PromptParser.Parse(prompt).Request;
        Assert.Equal(Enum.Parse<Style>(style), r.Style);
        Assert.Equal(Enum.Parse<Mood>(mood), r.Mood);
        Assert.Equal(tempo.Length == 0 ? null : double.Parse(tempo, System.Globalization.CultureInfo.InvariantCulture), r.Tempo);
        Assert.Equal(key.Length == 0 ? null : key, r.Key?.Name);
        Assert.Equal(meter.Length == 0 ? null : meter, r.Meter?.ToString());
        Assert.Equal(seconds.Length == 0 ? null : double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture), r.LengthSeconds);
        Assert.Equal(bars.Length == 0 ? null : int.Parse(bars, System.Globalization.CultureInfo.InvariantCulture), r.LengthBars);
        Assert.Equal((flags.Contains('L'), flags.Contains('S'), !flags.Contains('N'), flags.Contains('T')), (r.Loop, r.Stinger, r.Drums, r.Stems));
    }

    [Theory]
    [InlineData("celtic jig in G", "jig")]
    [InlineData("sad piano waltz", "waltz")]
    [InlineData("slip jig", "slip jig")]
    [InlineData("a solemn chorale", "chorale")]
    [InlineData("hymn for the evening", "chorale")]
    [InlineData("tense chiptune boss fight", null)]
    public void Tune_types_in_the_prompt_choose_the_feel(string prompt, string? feel)
    {
        var parsed = PromptParser.Parse(prompt);
        Assert.Equal(feel, parsed.Request.Feel);
        Assert.DoesNotContain("chorale", parsed.Ignored);
    }

    [Fact]
    public void There_are_at_least_150_prompts_in_the_table() => Assert.True(Prompts.Count >= 150, $"{Prompts.Count} prompts");

    /// <summary>No word of a prompt makes a request fail; a stated tempo is played exactly (a stinger's may move to make it exact).</summary>
    [Theory]
    [MemberData(nameof(Prompts))]
    public void Every_prompt_can_be_made_and_a_stated_tempo_is_kept_exactly(string prompt, string style, string mood, string tempo, string key, string meter, string seconds, string bars, string flags)
    {
        _ = (style, mood, key, meter, seconds, bars);
        var resolved = PromptParser.Parse(prompt).Request.Resolve();
        var plan = Planning.FormPlanner.Plan(resolved);
        if (tempo.Length > 0 && !flags.Contains('S'))
        {
            Assert.Equal(double.Parse(tempo, System.Globalization.CultureInfo.InvariantCulture), plan.Tempo);
            Assert.Contains($"{tempo} bpm", plan.Describe(), StringComparison.Ordinal);
        }

        if (plan.Tempo != resolved.Tempo)
        {
            Assert.Contains("tempo", plan.Adjustment, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Unknown_words_are_ignored_and_reported()
    {
        var parsed = PromptParser.Parse("tense chiptune for my frobnicator");
        Assert.Equal(Style.Chiptune, parsed.Request.Style);
        Assert.Equal(["my", "frobnicator"], parsed.Ignored);
        Assert.Equal(["chiptune", "tense"], parsed.Understood);
    }

    [Fact]
    public void A_mode_word_alone_sets_the_mode_not_the_tonic()
    {
        var request = PromptParser.Parse("piano in a minor key").Request;
        Assert.Null(request.Key);
        Assert.Equal(Music.KeyMode.Minor, request.Resolve().Key.Mode);
    }

    [Theory]
    [InlineData("D minor", "D minor")]
    [InlineData("F#m", "F# minor")]
    [InlineData("bb major", "Bb major")]
    [InlineData("E", "E major")]
    public void Key_options_parse(string text, string name) => Assert.Equal(name, PromptParser.ParseKeyOption(text).Name);

    [Theory]
    [InlineData("H minor")]
    [InlineData("loud")]
    public void Bad_key_options_say_how_to_write_one(string text) =>
        Assert.Contains("write it like 'D minor'", Assert.Throws<CompositionException>(() => PromptParser.ParseKeyOption(text)).Message);

    [Theory]
    [InlineData("45s", 45.0, null)]
    [InlineData("2 min", 120.0, null)]
    [InlineData("1:30", 90.0, null)]
    [InlineData("16 bars", null, 16)]
    [InlineData("30", 30.0, null)]
    public void Length_options_parse(string text, double? seconds, int? bars) => Assert.Equal((seconds, bars), PromptParser.ParseLengthOption(text));

    [Fact]
    public void A_bad_length_option_is_refused() =>
        Assert.Contains("is not a length", Assert.Throws<CompositionException>(() => PromptParser.ParseLengthOption("long")).Message);
}
