namespace ComposerBot.Music.Clustering;

/// <summary>The first two principal components of a point set, by power iteration with deflation, for a 2-D picture.</summary>
public static class Projection
{
    public static (double X, double Y)[] TwoD(IReadOnlyList<double[]> points, int seed = 1)
    {
        var dims = points[0].Length;
        var mean = Enumerable.Range(0, dims).Select(d => points.Average(p => p[d])).ToArray();
        var centred = points.Select(p => p.Select((v, d) => v - mean[d]).ToArray()).ToList();
        var covariance = new double[dims, dims];
        foreach (var p in centred)
        {
            for (var i = 0; i < dims; i++)
            {
                for (var j = 0; j < dims; j++)
                {
                    covariance[i, j] += p[i] * p[j] / centred.Count;
                }
            }
        }

        var random = new Random(seed);
        var first = Principal(covariance, random);
        var lambda = Rayleigh(covariance, first);
        for (var i = 0; i < dims; i++)
        {
            for (var j = 0; j < dims; j++)
            {
                covariance[i, j] -= lambda * first[i] * first[j];
            }
        }

        var second = Principal(covariance, random);
        return [.. centred.Select(p => (Dot(p, first), Dot(p, second)))];
    }

    private static double[] Principal(double[,] matrix, Random random)
    {
        var n = matrix.GetLength(0);
        var v = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        for (var iteration = 0; iteration < 300; iteration++)
        {
            var next = new double[n];
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    next[i] += matrix[i, j] * v[j];
                }
            }

            var norm = Math.Sqrt(Dot(next, next));
            if (norm < 1e-12)
            {
                break;
            }

            v = [.. next.Select(x => x / norm)];
        }

        return v;
    }

    private static double Rayleigh(double[,] matrix, double[] v)
    {
        double sum = 0;
        for (var i = 0; i < v.Length; i++)
        {
            for (var j = 0; j < v.Length; j++)
            {
                sum += v[i] * matrix[i, j] * v[j];
            }
        }

        return sum;
    }

    private static double Dot(double[] a, double[] b) => a.Zip(b).Sum(x => x.First * x.Second);
}
