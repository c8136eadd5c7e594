namespace ComposerBot.Music.Metrics;

/// <summary>
/// A logistic regression on standardised features (each feature's mean and standard deviation from the
/// rows it was fitted on), fitted with an L2 penalty by full-batch gradient descent: the classifier of the
/// two-sample test and of the melody critic. <see cref="Score"/> is the log-odds of the class labelled 1.
/// </summary>
public sealed record LogisticRegression(double[] Weights, double Bias, double[] Mean, double[] Scale)
{
    private const int Iterations = 400;
    private const double LearningRate = 0.5;
    private const double Penalty = 0.01;

    /// <summary>Fits rows of features labelled 1 or 0.</summary>
    public static LogisticRegression Fit(IReadOnlyList<(double[] X, double Y)> rows)
    {
        ArgumentOutOfRangeException.ThrowIfZero(rows.Count);
        var d = rows[0].X.Length;
        var mean = new double[d];
        var scale = new double[d];
        for (var j = 0; j < d; j++)
        {
            mean[j] = rows.Average(r => r.X[j]);
            var sd = Math.Sqrt(rows.Average(r => (r.X[j] - mean[j]) * (r.X[j] - mean[j])));
            scale[j] = sd > 1e-12 ? sd : 1;
        }

        var xs = rows.Select(r => r.X.Select((v, j) => (v - mean[j]) / scale[j]).ToArray()).ToList();
        var w = new double[d];
        double bias = 0;
        var gradient = new double[d];
        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            Array.Clear(gradient);
            double gradientBias = 0;
            for (var i = 0; i < xs.Count; i++)
            {
                var error = Sigmoid(Dot(w, xs[i]) + bias) - rows[i].Y;
                for (var j = 0; j < d; j++)
                {
                    gradient[j] += error * xs[i][j];
                }

                gradientBias += error;
            }

            for (var j = 0; j < d; j++)
            {
                w[j] -= LearningRate * ((gradient[j] / xs.Count) + (Penalty * w[j]));
            }

            bias -= LearningRate * gradientBias / xs.Count;
        }

        return new LogisticRegression(w, bias, mean, scale);
    }

    /// <summary>The log-odds that <paramref name="x"/> is of the class labelled 1.</summary>
    public double Score(IReadOnlyList<double> x)
    {
        var z = Bias;
        for (var j = 0; j < Weights.Length; j++)
        {
            z += Weights[j] * (x[j] - Mean[j]) / Scale[j];
        }

        return z;
    }

    /// <summary>Whether <paramref name="x"/> is more likely of the class labelled 1.</summary>
    public bool Predict(IReadOnlyList<double> x) => Score(x) > 0;

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
}
