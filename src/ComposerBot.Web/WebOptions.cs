namespace ComposerBot.Web;

/// <summary>The web's settings (configuration "Web").</summary>
public sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>Opens the Hangfire dashboard at /jobs after a sign-in at /signin (an HttpOnly cookie); without it the dashboard is off.</summary>
    public string? AdminToken { get; set; }

    /// <summary>How many tracks the gallery shows.</summary>
    public int GallerySize { get; set; } = 24;
}
