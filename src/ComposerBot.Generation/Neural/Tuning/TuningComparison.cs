using ComposerBot.Composition;
using ComposerBot.Generation.Tokens;
using ComposerBot.Music.Metrics;

namespace ComposerBot.Generation.Neural.Tuning;

/// <summary>
/// The prior and the tuned model side by side on the same requests (the product's grammar-constrained
/// sampler): each one's music-theory profile, the mean log-likelihood per token of each one's samples under
/// the frozen prior, and the tuned model's KL from the prior (the mean of log pi - log prior over its own
/// samples, per token and per lead sheet), and the rules the published table does not count.
/// </summary>
public sealed record TuningComparison(
    int LeadSheets,
    TheoryProfile Prior,
    TheoryProfile Tuned,
    double PriorLogP,
    double TunedLogPUnderPrior,
    double KlPerToken,
    double KlPerLeadSheet,
    RuleRates PriorRules,
    RuleRates TunedRules)
{
    /// <summary>How far the tuned model's mean log p (under the prior) is from the prior's own, as a fraction.</summary>
    public double LogPChange => (TunedLogPUnderPrior - PriorLogP) / Math.Abs(PriorLogP);

    public static TuningComparison Measure(MusicTransformer prior, MusicTransformer tuned, int count, int seed, CancellationToken cancellationToken = default)
    {
        var tokenizer = new LeadSheetTokenizer();
        var specs = RlTuner.RandomSpecs(new Random(seed), count, 8, 16);

        var priorSamples = Sample(prior, specs, cancellationToken);
        var tunedSamples = Sample(tuned, specs, cancellationToken);
        var priorSheets = priorSamples.Select(s => tokenizer.Decode(s).Sheet).ToList();
        var tunedSheets = tunedSamples.Select(s => tokenizer.Decode(s).Sheet).ToList();
        var priorOnPrior = SequenceScorer.Score(prior, tokenizer, priorSamples, cancellationToken);
        var priorOnTuned = SequenceScorer.Score(prior, tokenizer, tunedSamples, cancellationToken);
        var tunedOnTuned = SequenceScorer.Score(tuned, tokenizer, tunedSamples, cancellationToken);
        return new TuningComparison(
            count,
            TheoryProfile.Of(priorSheets),
            TheoryProfile.Of(tunedSheets),
            -priorOnPrior.PerToken,
            -priorOnTuned.PerToken,
            priorOnTuned.PerToken - tunedOnTuned.PerToken,
            (priorOnTuned.Nats - tunedOnTuned.Nats) / count,
            RuleRates.Of(priorSheets),
            RuleRates.Of(tunedSheets));
    }

    private static List<int[]> Sample(MusicTransformer model, IReadOnlyList<LeadSheetSpec> specs, CancellationToken cancellationToken)
    {
        var composer = new NeuralComposer(model, "comparison", SamplingOptions.ModelOnly);
        var samples = new List<int[]>();
        foreach (var chunk in specs.Chunk(16))
        {
            samples.AddRange(composer.SampleTokens(chunk, cancellationToken));
        }

        return samples;
    }
}
