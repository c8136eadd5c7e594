using ComposerBot.Composition.Requests;

namespace ComposerBot.Composition.Prompts;

/// <summary>A prompt read into a request, with the phrases that were understood and the words that were not.</summary>
public sealed record ParsedPrompt(string Prompt, CompositionRequest Request, IReadOnlyList<string> Understood, IReadOnlyList<string> Ignored)
{
    /// <summary>Whether the words named a style (else the style is the default, or another setting's).</summary>
    public bool NamesStyle { get; init; }
}
