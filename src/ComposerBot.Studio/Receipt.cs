using System.Text.Json.Serialization;

namespace ComposerBot.Studio;

/// <summary>
/// Proof of where a track came from: what was asked, what was understood, the seed and model (by hash)
/// that made it, what was measured, and the originality check against the training set.
/// </summary>
public sealed record Receipt(
    string ReceiptId,
    string ParsedFrom,
    ReceiptRequest Request,
    IReadOnlyList<string> Understood,
    int Seed,
    string Model,
    string ModelSha256,
    string Style,
    string Key,
    double TempoBpm,
    string Meter,
    int Bars,
    IReadOnlyList<string> Sections,
    double DurationS,
    double LoudnessLufs,
    double TruePeakDbtp,
    int SampleRate,
    long? LoopStartSample,
    long? LoopLengthSamples,
    double? TransitionPointMs,
    ReceiptOriginality Originality,
    string Licence,
    IReadOnlyDictionary<string, string> Files,
    string CreatedUtc)
{
    /// <summary>The feel the melody was conditioned on: a tune cluster's name.</summary>
    public string? Feel { get; init; }

    /// <summary>What was changed to make whole bars (the length rounded to keep a stated tempo, or the tempo moved); null when nothing was.</summary>
    public string? Adjustment { get; init; }

    /// <summary>The melody's form as measured bar by bar: a letter per new bar, its source's letter for a restated bar (' a variation, ~ a transposition).</summary>
    public string? Form { get; init; }

    /// <summary>
    /// SHA-256 (hex) of what besides the model chose the melody: the sampling calibration and the melody critic
    /// with its number of candidates (<see cref="Composition.ILeadSheetGenerator.SamplingId"/>). Left out where
    /// nothing did, so receipts made before it existed keep their canonical form and signature.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SamplingSha256 { get; init; }

    /// <summary>SHA-256 (hex) of the files as written: "audio" and "midi".</summary>
    public IReadOnlyDictionary<string, string>? FilesSha256 { get; init; }

    /// <summary>The key that signed the receipt: "ed25519:" and 64 hex digits.</summary>
    public string? PublicKey { get; init; }

    /// <summary>Ed25519 signature (hex) over the receipt's canonical JSON without this field (<see cref="ReceiptSigner"/>).</summary>
    public string? Signature { get; init; }
}

/// <summary>The request as resolved, every default filled in.</summary>
public sealed record ReceiptRequest(string Summary, string Style, string Mood, string Key, string Meter, double TempoBpm, double? LengthSeconds, int? LengthBars, bool Loop, bool Stinger, bool Stems, bool Drums)
{
    /// <summary>Whether the tempo was asked for (kept exactly) or the style's (which the plan may nudge to fit the length).</summary>
    public bool TempoStated { get; init; }
}

/// <summary>
/// The originality check of the melody against the index of the training melodies: the longest run of
/// intervals it shares with any of them, the threshold, how many melodies were written to pass it, and
/// whether the kept one did.
/// </summary>
public sealed record ReceiptOriginality(bool Checked, int LongestSharedRun, int Threshold, double NovelEightGramShare, string CheckedAgainst)
{
    public int Attempts { get; init; } = 1;

    public bool Passed { get; init; } = true;
}
