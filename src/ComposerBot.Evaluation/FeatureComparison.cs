using ComposerBot.Music.LeadSheets;
using ComposerBot.Music.Metrics;

namespace ComposerBot.Evaluation;

/// <summary>mgeval's OA and KL per feature of one set against the held-out reference.</summary>
public sealed record FeatureComparison(string Feature, double OverlappingArea, double KlDivergence)
{
    /// <summary>For each feature: OA and KL between intra(reference) and inter(candidate, reference).</summary>
    public static IReadOnlyList<FeatureComparison> Compare(IReadOnlyList<LeadSheet> candidate, IReadOnlyList<LeadSheet> reference)
    {
        var a = candidate.Select(MelodyFeatures.Compute).ToList();
        var r = reference.Select(MelodyFeatures.Compute).ToList();
        return [.. MelodyFeatures.Names.Select(name =>
        {
            var intra = DistributionComparison.IntraDistances([.. r.Select(f => f[name])]);
            var inter = DistributionComparison.InterDistances([.. a.Select(f => f[name])], [.. r.Select(f => f[name])]);
            var (oa, kl) = DistributionComparison.Compare(intra, inter);
            return new FeatureComparison(name, oa, kl);
        })];
    }
}
