namespace ComposerBot.Rendering.Loudness;

/// <summary>Where the normaliser aims: streaming platforms' -14 LUFS, with the true peak under a ceiling.</summary>
public sealed record LoudnessTarget
{
    public double IntegratedLufs { get; init; } = -14;

    /// <summary>
    /// The true-peak ceiling of the PCM. It sits under the -1 dBTP delivery limit because lossy encoders
    /// add a few tenths of a dB of overshoot when decoded.
    /// </summary>
    public double TruePeakCeilingDbtp { get; init; } = -1.5;

    public double LookAheadMilliseconds { get; init; } = 5;

    public double ReleaseMilliseconds { get; init; } = 80;
}
