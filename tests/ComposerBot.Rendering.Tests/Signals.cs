namespace ComposerBot.Rendering.Tests;

/// <summary>Test signals whose loudness and peaks are known by hand.</summary>
internal static class Signals
{
    public static AudioBuffer Sine(double frequency, double amplitude, double seconds, double phase = 0, int rate = 48_000)
    {
        var frames = (int)(seconds * rate);
        var samples = new float[frames * 2];
        for (var i = 0; i < frames; i++)
        {
            var v = (float)(amplitude * Math.Sin((2 * Math.PI * frequency * i / rate) + phase));
            samples[2 * i] = v;
            samples[(2 * i) + 1] = v;
        }

        return new AudioBuffer(samples, rate);
    }

    public static AudioBuffer Concat(params AudioBuffer[] parts) => new([.. parts.SelectMany(p => p.Samples)], parts[0].SampleRate);

    public static AudioBuffer Silence(double seconds, int rate = 48_000) => new(new float[(int)(seconds * rate) * 2], rate);

    /// <summary>Noise bursts with loud transients: the kind of material a limiter has to work on.</summary>
    public static AudioBuffer Bursts(double seconds, float level, int seed = 3, int rate = 48_000)
    {
        var random = new Random(seed);
        var frames = (int)(seconds * rate);
        var samples = new float[frames * 2];
        for (var i = 0; i < frames; i++)
        {
            var envelope = (float)Math.Exp(-(i % (rate / 2)) / (rate * 0.05));
            samples[2 * i] = level * envelope * (float)((random.NextDouble() * 2) - 1);
            samples[(2 * i) + 1] = level * envelope * (float)((random.NextDouble() * 2) - 1);
        }

        return new AudioBuffer(samples, rate);
    }

    public static double Rms(AudioBuffer audio) => Math.Sqrt(audio.Samples.Average(s => (double)s * s));
}
