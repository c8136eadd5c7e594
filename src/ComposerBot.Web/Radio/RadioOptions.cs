namespace ComposerBot.Web.Radio;

/// <summary>The stream radio (configuration "Radio").</summary>
public sealed class RadioOptions
{
    public const string Section = "Radio";

    /// <summary>The length of each track a station plays, unless the page asks for another (5-600 s).</summary>
    public double TrackSeconds { get; set; } = 90;

    /// <summary>How long the end of one track and the start of the next overlap.</summary>
    public double CrossfadeSeconds { get; set; } = 4;

    /// <summary>Tracks kept generated (or being generated) beyond the one a listener asks for next.</summary>
    public int Ahead { get; set; } = 2;
}
