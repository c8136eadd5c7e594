using ComposerBot.Composition.Prompts;
using ComposerBot.Composition.Requests;
using ComposerBot.Rendering.Encoding;

namespace ComposerBot.Studio;

/// <summary>One track to make: the request, where its words came from, and where its files go.</summary>
public sealed record ComposeOrder(CompositionRequest Request, ParsedPrompt? Prompt, string OutputDirectory, string Name, AudioFormat Format)
{
    public long? MaxBytes { get; init; }

    /// <summary>For stingers: also write an OBS stinger transition (WebM, VP9 with alpha).</summary>
    public bool Webm { get; init; }
}
