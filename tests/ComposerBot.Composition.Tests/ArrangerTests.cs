using ComposerBot.Composition.Arrangement;
using ComposerBot.Composition.Planning;
using ComposerBot.Composition.Requests;
using ComposerBot.Music;
using ComposerBot.Music.LeadSheets;
using ComposerBot.TestSupport;

namespace ComposerBot.Composition.Tests;

public class ArrangerTests
{
    /// <summary>A lead sheet to the plan: a walk in the key, a chord per slot (I, IV, V, I ...).</summary>
    private static LeadSheet SheetFor(FormPlan plan)
    {
        var bar = plan.Meter.TicksPerBar(LeadSheet.Resolution);
        var pitches = Melodies.Walk(plan.Request.Seed, (int)(plan.Bars * bar / LeadSheet.Resolution), 60 + plan.Request.Key.Tonic);
        var melody = pitches.Select((p, i) => new Note(p, i * (long)LeadSheet.Resolution, LeadSheet.Resolution, 90)).Where(n => n.End <= plan.Bars * bar).ToValueList();
        var slot = LeadSheet.ChordSlotTicks(plan.Meter);
        int[] degrees = [0, 5, 7, 0];
        var chords = Enumerable.Range(0, (int)(plan.Bars * bar / slot)).Select(i => new ChordSpan(i * slot, slot, new Chord((plan.Request.Key.Tonic + degrees[i % 4]) % 12, ChordQuality.Major))).ToValueList();
        return new LeadSheet(plan.Meter, plan.Request.Key, plan.Tempo, plan.Bars, melody, chords);
    }

    public static TheoryData<Style> Styles => [.. Enum.GetValues<Style>()];

    [Theory]
    [MemberData(nameof(Styles))]
    public void Every_style_arranges_its_own_instruments_inside_the_piece(Style style)
    {
        var plan = FormPlanner.Plan(new CompositionRequest { Style = style, LengthBars = 16, Seed = 3 }.Resolve());
        var score = Arranger.Arrange(SheetFor(plan), plan);
        var profile = StyleProfile.For(style);
        Assert.Equal(profile.HasDrums ? ["Melody", "Harmony", "Bass", "Drums"] : ["Melody", "Harmony", "Bass"], score.Tracks.Select(t => t.Name));
        Assert.Equal(profile.Instruments[InstrumentRole.Melody], score.Tracks[0].Program);
        Assert.Equal(profile.Instruments[InstrumentRole.Harmony], score.Tracks[1].Program);
        var end = plan.Bars * plan.Meter.TicksPerBar(Arranger.Ppq);
        Assert.All(score.Tracks.SelectMany(t => t.Notes), n => Assert.True(n.Start >= 0 && n.End <= end && n.Velocity is >= 1 and <= 127));
        // MIDI stores tempo in whole microseconds per quarter: equal to within a thousandth of a bpm.
        Assert.Equal(plan.Tempo, score.TempoMap.InitialBpm, 0.001);
    }

    [Fact]
    public void The_same_seed_arranges_the_same_score_and_another_seed_humanises_differently()
    {
        var plan = FormPlanner.Plan(new CompositionRequest { Style = Style.LoFi, LengthBars = 8, Seed = 5 }.Resolve());
        var sheet = SheetFor(plan);
        Assert.Equal(Arranger.Arrange(sheet, plan), Arranger.Arrange(sheet, plan));
        var other = FormPlanner.Plan(new CompositionRequest { Style = Style.LoFi, LengthBars = 8, Seed = 6, Key = plan.Request.Key }.Resolve());
        Assert.NotEqual(Arranger.Arrange(sheet, plan).Tracks[0].Notes, Arranger.Arrange(sheet, other with { Tempo = plan.Tempo }).Tracks[0].Notes);
    }

    [Fact]
    public void No_drums_means_no_drum_track()
    {
        var plan = FormPlanner.Plan(new CompositionRequest { Style = Style.Rock, LengthBars = 8, Drums = false }.Resolve());
        Assert.DoesNotContain(Arranger.Arrange(SheetFor(plan), plan).Tracks, t => t.IsDrum);
    }

    [Fact]
    public void Lo_fi_uses_seventh_chords_and_swings_its_off_beats()
    {
        var plan = FormPlanner.Plan(new CompositionRequest { Style = Style.LoFi, LengthBars = 8 }.Resolve());
        var harmony = Arranger.Arrange(SheetFor(plan), plan).Tracks.Single(t => t.Name == "Harmony");
        var firstChord = harmony.Notes.Where(n => n.Start < 60).Select(n => n.Pitch % 12).Distinct().Count();
        Assert.Equal(4, firstChord);
    }

    [Fact]
    public void The_intro_leaves_the_melody_out()
    {
        var plan = FormPlanner.Plan(new CompositionRequest { Style = Style.Piano, LengthBars = 32 }.Resolve());
        var intro = plan.Sections[0];
        Assert.Equal("intro", intro.Name);
        var melody = Arranger.Arrange(SheetFor(plan), plan).Tracks[0];
        Assert.DoesNotContain(melody.Notes, n => n.Start < intro.EndBar * plan.Meter.TicksPerBar(Arranger.Ppq) - 20);
    }

    [Fact]
    public void Comping_moves_to_the_nearest_voicing_at_each_chord_change_and_stays_a_fourth_under_the_tune()
    {
        var plan = FormPlanner.Plan(new CompositionRequest { Style = Style.Orchestral, LengthBars = 16, Seed = 3 }.Resolve());
        var sheet = SheetFor(plan) is var s ? s with { Melody = s.Melody.Select(n => n with { Pitch = n.Pitch + 12 }).ToValueList() } : null!;
        var score = Arranger.Arrange(sheet, plan);
        var slot = LeadSheet.ChordSlotTicks(plan.Meter) * (Arranger.Ppq / LeadSheet.Resolution);
        var chords = score.Tracks.Single(t => t.Name == "Harmony").Notes.GroupBy(n => (n.Start + 60) / slot)
            .Select(g => g.Select(n => n.Pitch).Order().ToArray()).ToList();
        var moves = chords.Zip(chords.Skip(1)).Where(p => p.First.Length == p.Second.Length)
            .Select(p => p.First.Zip(p.Second, (a, b) => Math.Abs(a - b)).Sum()).ToList();
        Assert.NotEmpty(moves);

        // I-IV-V-I in root-position blocks moves 12 semitones a change on average; led voices, 3-5.
        Assert.InRange(moves.Average(), 1, 6);
        var melody = score.Tracks.Single(t => t.Name == "Melody").Notes;
        foreach (var note in score.Tracks.Single(t => t.Name == "Harmony").Notes)
        {
            Assert.DoesNotContain(melody, m => m.Start < note.End - 30 && m.End > note.Start + 30 && note.Pitch > m.Pitch - 5);
        }
    }

    [Fact]
    public void A_stinger_ends_with_every_part_on_the_hit_and_a_crash()
    {
        var plan = FormPlanner.Plan(new CompositionRequest { Style = Style.Orchestral, Stinger = true, LengthSeconds = 4 }.Resolve());
        var sheet = FormShaper.Shape(SheetFor(plan), plan);
        var score = Arranger.Arrange(sheet, plan);
        var hit = (plan.Bars - 1) * plan.Meter.TicksPerBar(Arranger.Ppq);
        Assert.All(score.Tracks, t => Assert.Contains(t.Notes, n => n.Start == hit));
        // The orchestra kit's crash is its concert cymbal (57): on 49 it has a timpani.
        Assert.Contains(score.Tracks.Single(t => t.IsDrum).Notes, n => n.Start == hit && n.Pitch == 57);
        Assert.DoesNotContain(score.Tracks.Single(t => t.IsDrum).Notes, n => n.Pitch == 49);
        Assert.Equal(plan.Request.Key.Tonic, sheet.Melody[^1].Pitch % 12);
    }

    [Fact]
    public void A_loop_turns_around_on_the_dominant_and_the_reprise_restates_a()
    {
        var plan = FormPlanner.Plan(new CompositionRequest { Style = Style.Synthwave, Loop = true, LengthBars = 16, Key = new KeySignature(0, KeyMode.Major) }.Resolve());
        var shaped = FormShaper.Shape(SheetFor(plan), plan);
        Assert.Equal("G7", shaped.Chords[^1].Chord.Name);
        Assert.Equal("C", shaped.Chords[0].Chord.Name);
        var a = plan.Sections.Single(s => s.Name == "A");
        var reprise = plan.Sections.Single(s => s.Name == "A'");
        var bar = shaped.TicksPerBar;
        var aNotes = shaped.Melody.Where(n => n.Start >= a.StartBar * bar && n.Start < (a.StartBar + 2) * bar).Select(n => (n.Pitch, n.Start - (a.StartBar * bar)));
        var reprised = shaped.Melody.Where(n => n.Start >= reprise.StartBar * bar && n.Start < (reprise.StartBar + 2) * bar).Select(n => (n.Pitch, n.Start - (reprise.StartBar * bar)));
        Assert.Equal(aNotes, reprised);
    }
}
