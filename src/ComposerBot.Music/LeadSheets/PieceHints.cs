namespace ComposerBot.Music.LeadSheets;

/// <summary>What a corpus's metadata says about a piece, used in place of estimates where given.</summary>
public sealed record PieceHints
{
    public int? MelodyTrack { get; init; }

    public KeySignature? Key { get; init; }

    public MeterChange? Meter { get; init; }
}
