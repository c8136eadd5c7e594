namespace ComposerBot.Studio;

/// <summary>The files of one composed track and its receipt.</summary>
public sealed record ComposeResult(Receipt Receipt, string AudioPath, string MidiPath, string PianoRollPath, string ReceiptPath, IReadOnlyDictionary<string, TimeSpan> Timings)
{
    /// <summary>The lead sheet the track was arranged from (a stream kit takes its motif from it).</summary>
    public required Music.LeadSheets.LeadSheet Sheet { get; init; }
}
