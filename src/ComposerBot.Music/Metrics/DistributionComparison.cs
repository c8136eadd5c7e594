namespace ComposerBot.Music.Metrics;

/// <summary>
/// mgeval's set comparison: distances between feature vectors within a set and across two sets, each
/// smoothed by a Gaussian kernel density (Scott's bandwidth, evaluated by binning), then the overlapping
/// area of the two densities and the KL divergence of the first from the second.
/// </summary>
public static class DistributionComparison
{
    private const int GridPoints = 1024;

    /// <summary>Euclidean distances between every pair of distinct members of one set.</summary>
    public static double[] IntraDistances(IReadOnlyList<double[]> set)
    {
        var d = new List<double>(set.Count * (set.Count - 1) / 2);
        for (var i = 0; i < set.Count; i++)
        {
            for (var j = i + 1; j < set.Count; j++)
            {
                d.Add(Distance(set[i], set[j]));
            }
        }

        return [.. d];
    }

    /// <summary>Euclidean distances between every member of one set and every member of another.</summary>
    public static double[] InterDistances(IReadOnlyList<double[]> a, IReadOnlyList<double[]> b) =>
        [.. a.SelectMany(x => b.Select(y => Distance(x, y)))];

    public static double Distance(double[] a, double[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }

        return Math.Sqrt(sum);
    }

    /// <summary>Overlapping area and KL(p || q) of the kernel densities of two samples.</summary>
    public static (double OverlappingArea, double KlDivergence) Compare(double[] p, double[] q)
    {
        if (p.Length == 0 || q.Length == 0)
        {
            return (0, double.PositiveInfinity);
        }

        var hp = Bandwidth(p);
        var hq = Bandwidth(q);
        var lo = Math.Min(p.Min() - (4 * hp), q.Min() - (4 * hq));
        var hi = Math.Max(p.Max() + (4 * hp), q.Max() + (4 * hq));
        var step = (hi - lo) / (GridPoints - 1);
        var dp = Density(p, hp, lo, step);
        var dq = Density(q, hq, lo, step);
        double overlap = 0, kl = 0;
        for (var i = 0; i < GridPoints; i++)
        {
            overlap += Math.Min(dp[i], dq[i]) * step;
            if (dp[i] > 1e-12)
            {
                kl += dp[i] * Math.Log(dp[i] / Math.Max(dq[i], 1e-12)) * step;
            }
        }

        return (Math.Min(1, overlap), Math.Max(0, kl));
    }

    /// <summary>Scott's rule, n^(-1/5) times the standard deviation; a small floor for constant samples.</summary>
    private static double Bandwidth(double[] sample)
    {
        var mean = sample.Average();
        var sd = Math.Sqrt(sample.Sum(x => (x - mean) * (x - mean)) / Math.Max(1, sample.Length - 1));
        var scale = Math.Max(Math.Abs(mean), 1);
        return Math.Max(sd * Math.Pow(sample.Length, -0.2), 1e-3 * scale);
    }

    /// <summary>A Gaussian KDE on a regular grid: linear binning, then convolution with the kernel.</summary>
    private static double[] Density(double[] sample, double bandwidth, double lo, double step)
    {
        var bins = new double[GridPoints];
        foreach (var x in sample)
        {
            var position = (x - lo) / step;
            var i = Math.Clamp((int)Math.Floor(position), 0, GridPoints - 2);
            var frac = Math.Clamp(position - i, 0, 1);
            bins[i] += 1 - frac;
            bins[i + 1] += frac;
        }

        var radius = Math.Min(GridPoints - 1, (int)Math.Ceiling(5 * bandwidth / step));
        var kernel = new double[(2 * radius) + 1];
        for (var k = -radius; k <= radius; k++)
        {
            var z = k * step / bandwidth;
            kernel[k + radius] = Math.Exp(-0.5 * z * z);
        }

        var density = new double[GridPoints];
        for (var i = 0; i < GridPoints; i++)
        {
            if (bins[i] == 0)
            {
                continue;
            }

            for (var k = -radius; k <= radius; k++)
            {
                var j = i + k;
                if ((uint)j < GridPoints)
                {
                    density[j] += bins[i] * kernel[k + radius];
                }
            }
        }

        var area = density.Sum() * step;
        return area == 0 ? density : [.. density.Select(d => d / area)];
    }
}
