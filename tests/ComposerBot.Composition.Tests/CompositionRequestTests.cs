using ComposerBot.Composition.Requests;
using ComposerBot.Music;

namespace ComposerBot.Composition.Tests;

public class CompositionRequestTests
{
    public static TheoryData<CompositionRequest, string> BadRequests => new()
    {
        { new CompositionRequest { Tempo = 10 }, "tempo 10 bpm is out of range; use 40-240 bpm." },
        { new CompositionRequest { Tempo = 300 }, "tempo 300 bpm is out of range" },
        { new CompositionRequest { LengthSeconds = 0 }, "length 0 s is out of range" },
        { new CompositionRequest { LengthSeconds = 3600 }, "length 3600 s is out of range; use up to 600 seconds." },
        { new CompositionRequest { Stinger = true, LengthSeconds = 30 }, "a stinger lasts 1-10 seconds, not 30 s." },
        { new CompositionRequest { LengthBars = 0 }, "length 0 bars is out of range; use 1-256 bars." },
        { new CompositionRequest { LengthBars = 8, LengthSeconds = 20 }, "give the length in seconds or in bars, not both." },
        { new CompositionRequest { Loop = true, Stinger = true }, "a piece cannot be both a loop and a stinger" },
        { new CompositionRequest { Meter = new MeterChange(0, 5, 16) }, "meter 5/16 is not supported" },
        { new CompositionRequest { Instruments = new Dictionary<InstrumentRole, int> { [InstrumentRole.Melody] = 200 } }, "instrument 200 for the melody is not a General MIDI program (0-127)." },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void Bad_requests_say_exactly_what_was_wrong(CompositionRequest request, string message) =>
        Assert.Contains(message, Assert.Throws<CompositionException>(request.Resolve).Message);

    [Fact]
    public void Every_style_has_defaults_that_resolve()
    {
        foreach (var style in Enum.GetValues<Style>())
        {
            var resolved = new CompositionRequest { Style = style }.Resolve();
            Assert.InRange(resolved.Tempo, StyleProfile.For(style).TempoRange.Low, StyleProfile.For(style).TempoRange.High);
            Assert.Equal(3, resolved.Instruments.Count);
        }
    }

    [Fact]
    public void The_mood_picks_the_mode_and_moves_the_tempo()
    {
        var sad = new CompositionRequest { Style = Style.Piano, Mood = Mood.Sad }.Resolve();
        var tense = new CompositionRequest { Style = Style.Piano, Mood = Mood.Tense }.Resolve();
        Assert.Equal(KeyMode.Minor, sad.Key.Mode);
        Assert.True(sad.Tempo < tense.Tempo);
        Assert.Equal(KeyMode.Major, new CompositionRequest { Style = Style.Piano, Mood = Mood.Happy }.Resolve().Key.Mode);
    }

    [Fact]
    public void Instrument_overrides_replace_the_styles_choice()
    {
        var resolved = new CompositionRequest { Style = Style.Rock, Instruments = new Dictionary<InstrumentRole, int> { [InstrumentRole.Melody] = 56 } }.Resolve();
        Assert.Equal(56, resolved.Instruments[InstrumentRole.Melody]);
        Assert.Equal(34, resolved.Instruments[InstrumentRole.Bass]);
    }

    [Fact]
    public void The_echo_reads_back_every_choice() =>
        Assert.Equal("chiptune, tense, D minor, 4/4, 160 bpm, 45 s, seamless loop, seed 7",
            new CompositionRequest { Style = Style.Chiptune, Mood = Mood.Tense, Key = new KeySignature(-1, KeyMode.Minor), Tempo = 160, LengthSeconds = 45, Loop = true, Seed = 7 }.Resolve().Describe());
}
