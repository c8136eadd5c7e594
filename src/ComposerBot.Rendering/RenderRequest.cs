namespace ComposerBot.Rendering;

/// <summary>What to make of a score: the audio file, and optionally its piano roll.</summary>
public sealed record RenderRequest(string OutputPath)
{
    public long? MaxBytes { get; init; }

    public bool Normalize { get; init; } = true;

    public string? PianoRollPath { get; init; }

    public string Title { get; init; } = "ComposerBot";

    /// <summary>Tags written into the audio file (title, loop points, receipt id).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}
