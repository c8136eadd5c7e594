namespace ComposerBot.Music;

/// <summary>
/// Estimates the key of notes with the Krumhansl-Schmuckler algorithm: the duration-weighted pitch-class
/// profile is correlated with the Krumhansl-Kessler major and minor profiles in all 12 transpositions.
/// </summary>
public static class KeyEstimator
{
    // Krumhansl & Kessler (1982) probe-tone ratings, tonic first.
    private static readonly double[] MajorProfile = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
    private static readonly double[] MinorProfile = [6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];

    /// <summary>The most likely key, or null when there are no pitched notes.</summary>
    public static KeySignature? Estimate(IEnumerable<Note> notes)
    {
        var histogram = new double[12];
        foreach (var note in notes)
        {
            histogram[note.Pitch % 12] += note.Duration;
        }

        if (histogram.All(h => h == 0))
        {
            return null;
        }

        var best = (Score: double.NegativeInfinity, Tonic: 0, Mode: KeyMode.Major);
        for (var tonic = 0; tonic < 12; tonic++)
        {
            foreach (var (mode, profile) in new[] { (KeyMode.Major, MajorProfile), (KeyMode.Minor, MinorProfile) })
            {
                var r = Correlation(histogram, profile, tonic);
                if (r > best.Score)
                {
                    best = (r, tonic, mode);
                }
            }
        }

        return KeySignature.FromTonic(best.Tonic, best.Mode);
    }

    /// <summary>The key of a score: its key signature if it has one, otherwise an estimate from its pitched notes.</summary>
    public static KeySignature? KeyOf(Score score) =>
        score.Key ?? Estimate(score.Tracks.Where(t => !t.IsDrum).SelectMany(t => t.Notes));

    private static double Correlation(double[] histogram, double[] profile, int tonic)
    {
        var meanH = histogram.Average();
        var meanP = profile.Average();
        double num = 0, dh = 0, dp = 0;
        for (var pc = 0; pc < 12; pc++)
        {
            var h = histogram[pc] - meanH;
            var p = profile[(pc - tonic + 12) % 12] - meanP;
            num += h * p;
            dh += h * h;
            dp += p * p;
        }

        return dh == 0 ? 0 : num / Math.Sqrt(dh * dp);
    }
}
