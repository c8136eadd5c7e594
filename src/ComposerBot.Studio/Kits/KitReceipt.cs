namespace ComposerBot.Studio.Kits;

/// <summary>
/// What a stream kit shares and each piece's own receipt (signed, with the hashes of its audio and MIDI), so
/// any piece can be verified alone with <c>composerbot verify</c>.
/// </summary>
public sealed record KitReceipt(
    string KitId,
    string ParsedFrom,
    string Style,
    string Mood,
    string Key,
    string Meter,
    double TempoBpm,
    int Seed,
    KitMotif Motif,
    IReadOnlyList<KitPieceReceipt> Pieces,
    string Licence,
    string CreatedUtc);

/// <summary>The motif every piece opens with: its notes (MIDI pitch, start and length in 16ths of a bar's grid) and their intervals.</summary>
public sealed record KitMotif(int Bars, IReadOnlyList<string> Notes, IReadOnlyList<int> Intervals);

/// <summary>One piece: its files in the kit, its measured length and tempo, and its receipt.</summary>
public sealed record KitPieceReceipt(string Name, string Title, string Kind, IReadOnlyDictionary<string, string> Files, double DurationS, double TempoBpm, bool Loop, double? TransitionPointMs, Receipt Receipt);
