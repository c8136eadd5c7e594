namespace ComposerBot.Composition.Prompts;

/// <summary>The keys a request can name, for pickers and autocomplete.</summary>
public static class KeyNames
{
    /// <summary>The 24 keys as people write them, sharps and flats as usual for each.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        .. new[] { "C", "G", "D", "A", "E", "B", "F#", "Db", "Ab", "Eb", "Bb", "F" }.Select(t => $"{t} major"),
        .. new[] { "A", "E", "B", "F#", "C#", "G#", "D#", "Bb", "F", "C", "G", "D" }.Select(t => $"{t} minor"),
    ];
}
