using ComposerBot.Music.Metrics;

namespace ComposerBot.Evaluation;

/// <summary>
/// The classifier two-sample test (Lopez-Paz and Oquab 2017): a <see cref="LogisticRegression"/> learns to tell set A's pieces from set B's, and its k-fold
/// cross-validated accuracy on balanced sets says how far apart they are: 50% when it cannot tell them apart.
/// The interval is Wilson's 95% score interval over the held-out predictions.
/// </summary>
public static class TwoSampleTest
{
    public const int Folds = 5;

    /// <summary>The smallest set the test runs on (each fold needs pieces of both sets).</summary>
    public const int MinimumPerSide = 2 * Folds;

    public static TwoSampleResult Run(string comparison, IReadOnlyList<double[]> a, IReadOnlyList<double[]> b, IReadOnlyList<string> featureNames, int seed)
    {
        var perSide = Math.Min(a.Count, b.Count);
        if (perSide < MinimumPerSide)
        {
            throw new ArgumentException($"the two-sample test needs at least {MinimumPerSide} pieces on each side, not {perSide}.");
        }

        var random = new Random(seed);
        var rows = a.OrderBy(_ => random.Next()).Take(perSide).Select(x => (X: x, Y: 1.0))
            .Concat(b.OrderBy(_ => random.Next()).Take(perSide).Select(x => (X: x, Y: 0.0)))
            .OrderBy(_ => random.Next()).ToList();

        // Stratified folds: each fold holds a fifth of each set.
        var fold = new int[rows.Count];
        var seen = new[] { 0, 0 };
        for (var i = 0; i < rows.Count; i++)
        {
            var side = (int)rows[i].Y;
            fold[i] = seen[side]++ % Folds;
        }

        var correct = 0;
        for (var f = 0; f < Folds; f++)
        {
            var train = rows.Where((_, i) => fold[i] != f).ToList();
            var model = LogisticRegression.Fit(train);
            correct += rows.Where((_, i) => fold[i] == f).Count(r => model.Predict(r.X) == (r.Y == 1));
        }

        var n = rows.Count;
        var accuracy = (double)correct / n;
        var (low, high) = Wilson(correct, n);
        var all = LogisticRegression.Fit(rows);
        var telltales = all.Weights.Select((w, i) => (Feature: featureNames[i], Weight: w)).OrderByDescending(t => Math.Abs(t.Weight)).Take(5).ToList();
        var separations = Enumerable.Range(0, featureNames.Count)
            .Select(j => Separation(featureNames[j], [.. rows.Where(r => r.Y == 1).Select(r => r.X[j])], [.. rows.Where(r => r.Y == 0).Select(r => r.X[j])]))
            .OrderByDescending(s => s.StumpAccuracy).ThenBy(s => s.Feature, StringComparer.Ordinal).ToList();
        return new TwoSampleResult(comparison, perSide, accuracy, low, high, telltales) { Separations = separations };
    }

    /// <summary>
    /// How well one feature alone tells the sets apart: each set's mean, and the accuracy of the best single
    /// threshold on it (a decision stump fitted to all the pieces, so an upper bound of what it gives a classifier).
    /// </summary>
    public static FeatureSeparation Separation(string feature, double[] a, double[] b)
    {
        var points = a.Select(v => (V: v, A: true)).Concat(b.Select(v => (V: v, A: false))).OrderBy(p => p.V).ToList();
        // Sweep the thresholds between distinct values: left of it is called one set, right the other.
        int aLeft = 0, bLeft = 0, best = Math.Max(a.Length, b.Length);
        for (var i = 0; i < points.Count; i++)
        {
            aLeft += points[i].A ? 1 : 0;
            bLeft += points[i].A ? 0 : 1;
            if (i + 1 < points.Count && points[i + 1].V == points[i].V)
            {
                continue;
            }

            best = Math.Max(best, Math.Max(aLeft + (b.Length - bLeft), bLeft + (a.Length - aLeft)));
        }

        return new FeatureSeparation(feature, a.Average(), b.Average(), (double)best / points.Count);
    }

    /// <summary>Wilson's 95% score interval for a proportion.</summary>
    public static (double Low, double High) Wilson(int successes, int trials)
    {
        const double Z = 1.959964;
        var p = (double)successes / trials;
        var centre = (p + (Z * Z / (2.0 * trials))) / (1 + (Z * Z / trials));
        var half = Z / (1 + (Z * Z / trials)) * Math.Sqrt((p * (1 - p) / trials) + (Z * Z / (4.0 * trials * trials)));
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}

/// <summary>
/// A two-sample test's outcome: pieces per side, cross-validated accuracy with its 95% interval, and the
/// features the classifier leans on most (standardised weights; positive: more typical of the first set).
/// </summary>
public sealed record TwoSampleResult(string Comparison, int PiecesPerSide, double Accuracy, double Low, double High, IReadOnlyList<(string Feature, double Weight)> Telltales)
{
    /// <summary>Every feature on its own, the most telling first.</summary>
    public IReadOnlyList<FeatureSeparation> Separations { get; init; } = [];
}

/// <summary>One feature's mean in each set, and the accuracy of the best threshold on it alone.</summary>
public sealed record FeatureSeparation(string Feature, double MeanA, double MeanB, double StumpAccuracy);
