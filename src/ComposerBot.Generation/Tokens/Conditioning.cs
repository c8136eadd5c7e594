namespace ComposerBot.Generation.Tokens;

/// <summary>
/// What a lead sheet is asked to be, written before its music: the feel (tune type or style cluster),
/// tempo, and the sections that start at given bars. Meter, key, mode and bar count come from the lead
/// sheet itself; note density is measured from it.
/// </summary>
public sealed record Conditioning(string Feel = "other", double Bpm = 120)
{
    /// <summary>Sections by the bar they start at (intro, A, B, ending).</summary>
    public IReadOnlyDictionary<int, string> Sections { get; init; } = new Dictionary<int, string>();
}
