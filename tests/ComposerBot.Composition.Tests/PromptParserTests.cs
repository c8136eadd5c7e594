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
        { "synthwave night drive 100 bpm in Bb major", "Synthwave", "Neutral", "100", "Bb major", "", "", "", "" },
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
        { "military march", "Piano", "Neutral", "", "", "2/4", "", "", "" },
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
    public void There_are_at_least_sixty_prompts_in_the_table() => Assert.True(Prompts.Count >= 60);

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
