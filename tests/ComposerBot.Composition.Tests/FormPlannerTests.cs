using ComposerBot.Composition.Planning;
using ComposerBot.Composition.Requests;
using ComposerBot.Music;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ComposerBot.Composition.Tests;

public class FormPlannerTests
{
    [Property(MaxTest = 300)]
    public Property A_stated_tempo_is_kept_exactly_and_the_length_rounds_to_whole_bars() => Prop.ForAll(
        Gen.Choose(8, 600).ToArbitrary(),
        Gen.Choose(50, 200).ToArbitrary(),
        Gen.Elements((4, 4), (3, 4), (6, 8), (2, 4), (12, 8)).ToArbitrary(),
        (seconds, tempo, meter) =>
        {
            var plan = FormPlanner.Plan(new CompositionRequest { Style = Style.Piano, Tempo = tempo, LengthSeconds = seconds, Meter = new MeterChange(0, meter.Item1, meter.Item2) }.Resolve());
            var rounded = Math.Abs(plan.DurationSeconds - seconds) > 0.005;
            return plan.Tempo == tempo
                && Math.Abs(plan.DurationSeconds - seconds) <= (plan.SecondsPerBar / 2) + 1e-9
                && (plan.Adjustment is null) != rounded
                && plan.Sections.Sum(s => s.Bars) == plan.Bars
                && plan.Sections.Zip(plan.Sections.Skip(1)).All(p => p.First.EndBar == p.Second.StartBar);
        });

    [Property(MaxTest = 300)]
    public Property Without_a_stated_tempo_bar_counts_fit_the_requested_length_within_one_beat() => Prop.ForAll(
        Gen.Choose(8, 600).ToArbitrary(),
        Gen.Elements(Enum.GetValues<Style>()).ToArbitrary(),
        Gen.Elements((4, 4), (3, 4), (6, 8), (2, 4), (12, 8)).ToArbitrary(),
        (seconds, style, meter) =>
        {
            var plan = FormPlanner.Plan(new CompositionRequest { Style = style, LengthSeconds = seconds, Meter = new MeterChange(0, meter.Item1, meter.Item2) }.Resolve());
            return Math.Abs(plan.DurationSeconds - seconds) <= plan.SecondsPerBeat + 1e-9
                && plan.Sections.Sum(s => s.Bars) == plan.Bars
                && plan.Sections.Zip(plan.Sections.Skip(1)).All(p => p.First.EndBar == p.Second.StartBar);
        });

    [Fact]
    public void A_length_that_fits_keeps_the_tempo_exactly()
    {
        var plan = FormPlanner.Plan(new CompositionRequest { Style = Style.Chiptune, Tempo = 160, LengthSeconds = 45 }.Resolve());
        Assert.Equal((160.0, 30), (plan.Tempo, plan.Bars));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(3.0)]
    [InlineData(4.0)]
    [InlineData(7.5)]
    [InlineData(10.0)]
    public void Stingers_are_exact_and_end_on_a_hit_bar(double seconds)
    {
        var plan = FormPlanner.Plan(new CompositionRequest { Style = Style.Rock, Stinger = true, LengthSeconds = seconds }.Resolve());
        Assert.Equal(seconds, plan.DurationSeconds, 6);
        Assert.Equal("hit", plan.Sections[^1].Name);
        Assert.Equal(1, plan.Sections[^1].Bars);
    }

    [Fact]
    public void A_full_piece_has_intro_a_b_a_prime_and_an_ending_with_energy_rising_to_the_reprise()
    {
        var plan = FormPlanner.Plan(new CompositionRequest { Style = Style.Orchestral, Mood = Mood.Epic, LengthBars = 32 }.Resolve());
        Assert.Equal(["intro", "A", "B", "A'", "ending"], plan.Sections.Select(s => s.Name));
        var energy = plan.Sections.ToDictionary(s => s.Name, s => s.Energy);
        Assert.True(energy["intro"] < energy["A"] && energy["A"] < energy["B"] && energy["B"] < energy["A'"] && energy["ending"] < energy["A'"]);
    }

    [Fact]
    public void A_piece_that_continues_a_melody_starts_with_it_and_keeps_its_length()
    {
        var request = new CompositionRequest { Style = Style.Orchestral, LengthBars = 32 }.Resolve();
        var plan = FormPlanner.Plan(request, intro: false);
        Assert.Equal(["A", "B", "A'", "ending"], plan.Sections.Select(s => s.Name));
        Assert.Equal(0, plan.Sections[0].StartBar);
        Assert.Equal(FormPlanner.Plan(request).Bars, plan.Bars);
        Assert.Equal(plan.Bars, plan.Sections.Sum(s => s.Bars));
    }

    [Fact]
    public void A_loop_has_no_intro_or_ending()
    {
        var plan = FormPlanner.Plan(new CompositionRequest { Style = Style.LoFi, Loop = true, LengthBars = 16 }.Resolve());
        Assert.Equal(["A", "B", "A'"], plan.Sections.Select(s => s.Name));
    }

    [Fact]
    public void Calm_moods_stay_quieter_than_tense_ones()
    {
        Assert.True(FormPlanner.EnergyRange(Mood.Calm).High < FormPlanner.EnergyRange(Mood.Tense).High);
        Assert.True(FormPlanner.EnergyRange(Mood.Calm).Low < FormPlanner.EnergyRange(Mood.Epic).Low);
    }
}
