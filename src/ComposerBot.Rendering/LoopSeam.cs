namespace ComposerBot.Rendering;

/// <summary>
/// The seam check of a loop (audio.md): the RMS difference between the last and the first 10 ms must be no
/// larger than between neighbouring 10 ms windows inside the piece (their 95th percentile, so a loop that
/// is as smooth as its own music passes).
/// </summary>
public static class LoopSeam
{
    public static (double Seam, double Interior) Measure(AudioBuffer audio)
    {
        var window = audio.SampleRate / 100;
        var windows = audio.Frames / window;
        double Difference(int a, int b)
        {
            double sum = 0;
            for (var i = 0; i < window * AudioBuffer.Channels; i++)
            {
                var d = audio.Samples[(a * window * AudioBuffer.Channels) + i] - audio.Samples[(b * window * AudioBuffer.Channels) + i];
                sum += d * d;
            }

            return Math.Sqrt(sum / (window * AudioBuffer.Channels));
        }

        var interior = Enumerable.Range(0, windows - 1).Select(w => Difference(w, w + 1)).Order().ToList();
        var seam = Difference(windows - 1, 0);
        return (seam, interior.Count == 0 ? 0 : interior[(int)(0.95 * (interior.Count - 1))]);
    }

    public static bool Passes(AudioBuffer audio)
    {
        var (seam, interior) = Measure(audio);
        return seam <= interior;
    }
}
