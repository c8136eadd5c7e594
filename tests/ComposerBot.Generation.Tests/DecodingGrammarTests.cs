using ComposerBot.Composition;
using ComposerBot.Generation.Neural;
using ComposerBot.Generation.Tokens;
using ComposerBot.Music;
using ComposerBot.Music.LeadSheets;
using ComposerBot.Music.Metrics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ComposerBot.Generation.Tests;

public class DecodingGrammarTests
{
    private static readonly LeadSheetTokenizer Tokenizer = new();

    public static class Specs
    {
        public static Arbitrary<(LeadSheetSpec Spec, int WalkSeed)> Generate() => Arb.From(
            from meter in Gen.Choose(0, LeadSheetTokenizer.Meters.Length - 1)
            from tonic in Gen.Choose(0, 11)
            from minor in Gen.Elements(true, false)
            from bars in Gen.Choose(1, 10)
            from chromatic in Gen.Elements(true, false)
            from seed in Gen.Choose(0, 100_000)
            select (new LeadSheetSpec(
                KeySignature.FromTonic(tonic, minor ? KeyMode.Minor : KeyMode.Major),
                new MeterChange(0, LeadSheetTokenizer.Meters[meter].Numerator, LeadSheetTokenizer.Meters[meter].Denominator),
                bars,
                120,
                seed) { ChromaticChords = chromatic }, seed));
    }

    /// <summary>Walks the grammar choosing uniformly among the allowed tokens (the worst a model can do).</summary>
    private static int[] RandomWalk(LeadSheetSpec spec, int seed, bool resolveLeaps = false)
    {
        var grammar = new DecodingGrammar(Tokenizer, spec, resolveLeaps: resolveLeaps);
        var random = new Random(seed);
        var allowed = new bool[Tokenizer.VocabularySize];
        var tokens = new List<int>();
        while (!grammar.Finished)
        {
            grammar.Allow(allowed);
            var choices = Enumerable.Range(0, allowed.Length).Where(i => allowed[i]).ToList();
            Assert.NotEmpty(choices); // never a dead end
            var id = choices[random.Next(choices.Count)];
            grammar.Accept(id);
            tokens.Add(id);
            Assert.True(tokens.Count < 20_000, "the walk must end");
        }

        return [.. tokens];
    }

    [Property(MaxTest = 150, Arbitrary = [typeof(Specs)])]
    public void Every_sequence_the_grammar_allows_has_the_requested_shape((LeadSheetSpec Spec, int WalkSeed) input)
    {
        var spec = input.Spec;
        var (sheet, _) = Tokenizer.Decode(RandomWalk(spec, input.WalkSeed));
        Assert.Equal((spec.Key.Tonic, spec.Key.Mode), (sheet.Key.Tonic, sheet.Key.Mode));
        Assert.Equal((spec.Meter.Numerator, spec.Meter.Denominator), (sheet.Meter.Numerator, sheet.Meter.Denominator));
        Assert.Equal(spec.Bars, sheet.Bars);
        Assert.NotEmpty(sheet.Melody);
        Assert.Equal(spec.Key.Tonic, sheet.Melody[^1].Pitch % 12);
        Assert.All(sheet.Melody, n =>
        {
            Assert.InRange(n.Pitch, 48, 88);
            Assert.True(MelodyScale.InKey(spec.Key, n.Pitch), $"{n.Pitch} is out of key");
            Assert.True(n.End <= sheet.EndTick, "a note runs past the last bar");
        });
        Assert.True(TheoryProfile.Of([sheet]).ExcessivelyRepeatedPercent == 0);
        if (!spec.ChromaticChords)
        {
            Assert.All(sheet.Chords, c => Assert.All(c.Chord.PitchClasses, pc => Assert.True(MelodyScale.InKey(spec.Key, pc + 60), $"{c.Chord} leaves the key")));
        }
    }

    [Property(MaxTest = 100, Arbitrary = [typeof(Specs)])]
    public void Resolving_leaps_the_grammar_never_leaps_twice_the_same_way((LeadSheetSpec Spec, int WalkSeed) input)
    {
        // A uniform walk leaps often; with the rule, RL Tuner's count finds no leap doubled, and still no dead end
        // (only the last note, which must be a tonic, may double one where the range leaves no other).
        var (sheet, _) = Tokenizer.Decode(RandomWalk(input.Spec, input.WalkSeed, resolveLeaps: true));
        var allButLast = sheet with { Melody = sheet.Melody.Take(sheet.Melody.Count - 1).ToValueList() };
        Assert.Equal(0, TheoryProfile.Count(allButLast).LeapsDoubled);
        Assert.Equal(input.Spec.Key.Tonic, sheet.Melody[^1].Pitch % 12);
    }

    [Fact]
    public void Without_the_leap_rule_a_uniform_walk_leaps_twice_the_same_way()
    {
        var doubled = Enumerable.Range(0, 20).Sum(seed => TheoryProfile.Count(Tokenizer.Decode(RandomWalk(
            new LeadSheetSpec(new KeySignature(0, KeyMode.Major), new MeterChange(0, 4, 4), 8, 120, seed), seed)).Sheet).LeapsDoubled);
        Assert.True(doubled > 0);
    }

    [Fact]
    public void A_token_out_of_place_is_refused()
    {
        var spec = new LeadSheetSpec(new KeySignature(0, KeyMode.Major), new MeterChange(0, 4, 4), 2, 120, 1);
        var grammar = new DecodingGrammar(Tokenizer, spec);
        Assert.Throws<InvalidOperationException>(() => grammar.Accept(Tokenizer.Id(new Token(TokenKind.Bar))));
        foreach (var id in grammar.Prompt)
        {
            grammar.Accept(id);
        }

        grammar.Accept(Tokenizer.Id(new Token(TokenKind.Density, 2)));
        // A pitch needs a position; an F# is out of C major; a fourth bar does not exist.
        Assert.Throws<InvalidOperationException>(() => grammar.Accept(Tokenizer.Id(new Token(TokenKind.Pitch, 60))));
        grammar.Accept(Tokenizer.Id(new Token(TokenKind.Bar)));
        grammar.Accept(Tokenizer.Id(new Token(TokenKind.Position, 0)));
        Assert.Throws<InvalidOperationException>(() => grammar.Accept(Tokenizer.Id(new Token(TokenKind.Pitch, 66))));
        grammar.Accept(Tokenizer.Id(new Token(TokenKind.Pitch, 64)));
        grammar.Accept(Tokenizer.Id(new Token(TokenKind.Duration, 48)));
        grammar.Accept(Tokenizer.Id(new Token(TokenKind.Bar)));
        Assert.Throws<InvalidOperationException>(() => grammar.Accept(Tokenizer.Id(new Token(TokenKind.Bar))));

        // The piece may not end on E; after a C it may.
        Assert.Throws<InvalidOperationException>(() => grammar.Accept(Tokenizer.Id(new Token(TokenKind.End))));
        grammar.Accept(Tokenizer.Id(new Token(TokenKind.Position, 24)));
        grammar.Accept(Tokenizer.Id(new Token(TokenKind.Pitch, 72)));
        Assert.Throws<InvalidOperationException>(() => grammar.Accept(Tokenizer.Id(new Token(TokenKind.Duration, 25)))); // past the end
        grammar.Accept(Tokenizer.Id(new Token(TokenKind.Duration, 24)));
        grammar.Accept(Tokenizer.Id(new Token(TokenKind.End)));
        Assert.True(grammar.Finished);
    }

    [Theory]
    [InlineData(5, 4, 8)]
    [InlineData(4, 4, 129)]
    public void Requests_the_tokens_cannot_express_are_named(int numerator, int denominator, int bars)
    {
        var spec = new LeadSheetSpec(new KeySignature(0, KeyMode.Major), new MeterChange(0, numerator, denominator), bars, 120, 1);
        Assert.NotNull(DecodingGrammar.Unsupported(spec));
        Assert.Throws<ArgumentException>(() => new DecodingGrammar(Tokenizer, spec));
    }
}
