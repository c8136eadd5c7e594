namespace ComposerBot.Studio.Kits;

/// <summary>What a piece of a stream kit is for, which decides how it is planned.</summary>
public enum KitPieceKind
{
    /// <summary>Plays while the stream waits (starting soon, be right back): a seamless loop.</summary>
    Loop,

    /// <summary>Closes the stream: a track with an ending.</summary>
    Ending,

    /// <summary>The scene transition: an exact-length stinger with its OBS WebM.</summary>
    Stinger,

    /// <summary>A follow, subscription or raid alert: one bar of the motif and a hit, exact length.</summary>
    Alert,
}

/// <summary>One piece of a kit: its file name, what a streamer calls it, its kind and length.</summary>
public sealed record KitPieceSpec(string Name, string Title, KitPieceKind Kind, double Seconds)
{
    /// <summary>
    /// The pieces of every kit, in the order they are composed: the first one's opening bars are the kit's
    /// motif, which every later piece starts from.
    /// </summary>
    public static readonly IReadOnlyList<KitPieceSpec> All =
    [
        new("starting-soon", "Starting soon (loop)", KitPieceKind.Loop, 60),
        new("be-right-back", "Be right back (loop)", KitPieceKind.Loop, 60),
        new("outro", "Outro", KitPieceKind.Ending, 30),
        new("stinger", "Stinger transition", KitPieceKind.Stinger, 3),
        new("alert-follow", "Follow alert", KitPieceKind.Alert, 2),
        new("alert-subscription", "Subscription alert", KitPieceKind.Alert, 2.5),
        new("alert-raid", "Raid alert", KitPieceKind.Alert, 3),
    ];
}

/// <summary>A composed piece of a kit.</summary>
public sealed record KitPiece(KitPieceSpec Spec, ComposeResult Result);
