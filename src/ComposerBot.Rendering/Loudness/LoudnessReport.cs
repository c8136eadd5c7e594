namespace ComposerBot.Rendering.Loudness;

/// <summary>Measured loudness of a piece of audio.</summary>
public sealed record LoudnessReport(double IntegratedLufs, double TruePeakDbtp)
{
    public static LoudnessReport Measure(AudioBuffer audio) =>
        new(LoudnessMeter.IntegratedLufs(audio), TruePeakMeter.TruePeakDbtp(audio));
}
