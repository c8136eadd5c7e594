namespace ComposerBot.Rendering;

/// <summary>Interleaved stereo float PCM.</summary>
public sealed record AudioBuffer(float[] Samples, int SampleRate)
{
    public const int StandardSampleRate = 48_000;
    public const int Channels = 2;

    public int Frames => Samples.Length / Channels;

    public double DurationSeconds => (double)Frames / SampleRate;
}
