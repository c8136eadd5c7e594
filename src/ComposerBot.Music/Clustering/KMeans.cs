namespace ComposerBot.Music.Clustering;

/// <summary>k-means with k-means++ seeding, the best of several restarts by within-cluster sum of squares.</summary>
public static class KMeans
{
    public sealed record Result(double[][] Centroids, int[] Assignments, double Inertia);

    public static Result Fit(IReadOnlyList<double[]> points, int k, int seed, int restarts = 5, int maxIterations = 100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (points.Count < k)
        {
            throw new ArgumentException($"{points.Count} points cannot make {k} clusters.", nameof(points));
        }

        var random = new Random(seed);
        Result? best = null;
        for (var r = 0; r < restarts; r++)
        {
            var result = Once(points, k, random, maxIterations);
            if (best is null || result.Inertia < best.Inertia)
            {
                best = result;
            }
        }

        return best!;
    }

    public static int Nearest(double[] point, IReadOnlyList<double[]> centroids)
    {
        var best = 0;
        var bestDistance = double.MaxValue;
        for (var c = 0; c < centroids.Count; c++)
        {
            var d = Distance(point, centroids[c]);
            if (d < bestDistance)
            {
                (best, bestDistance) = (c, d);
            }
        }

        return best;
    }

    public static double Distance(double[] a, double[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = a[i] - b[i];
            sum += d * d;
        }

        return sum;
    }

    private static Result Once(IReadOnlyList<double[]> points, int k, Random random, int maxIterations)
    {
        // k-means++: each next centre drawn with probability proportional to the squared distance to the nearest.
        var centroids = new List<double[]> { (double[])points[random.Next(points.Count)].Clone() };
        var nearest = points.Select(p => Distance(p, centroids[0])).ToArray();
        while (centroids.Count < k)
        {
            var target = random.NextDouble() * nearest.Sum();
            var pick = 0;
            for (; pick < points.Count - 1 && (target -= nearest[pick]) > 0; pick++)
            {
            }

            centroids.Add((double[])points[pick].Clone());
            for (var i = 0; i < points.Count; i++)
            {
                nearest[i] = Math.Min(nearest[i], Distance(points[i], centroids[^1]));
            }
        }

        var assignments = new int[points.Count];
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            var changed = false;
            for (var i = 0; i < points.Count; i++)
            {
                var c = Nearest(points[i], centroids);
                changed |= c != assignments[i] || iteration == 0;
                assignments[i] = c;
            }

            for (var c = 0; c < k; c++)
            {
                var members = Enumerable.Range(0, points.Count).Where(i => assignments[i] == c).ToList();
                if (members.Count > 0)
                {
                    centroids[c] = [.. Enumerable.Range(0, points[0].Length).Select(d => members.Average(i => points[i][d]))];
                }
            }

            if (!changed)
            {
                break;
            }
        }

        var inertia = Enumerable.Range(0, points.Count).Sum(i => Distance(points[i], centroids[assignments[i]]));
        return new Result([.. centroids], assignments, inertia);
    }
}
