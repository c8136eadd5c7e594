using ComposerBot.Composition.Prompts;
using ComposerBot.Composition.Requests;
using ComposerBot.Music.LeadSheets;
using ComposerBot.Rendering.Encoding;

namespace ComposerBot.Studio;

/// <summary>One track to make: the request, where its words came from, and where its files go.</summary>
public sealed record ComposeOrder(CompositionRequest Request, ParsedPrompt? Prompt, string OutputDirectory, string Name, AudioFormat Format)
{
    public long? MaxBytes { get; init; }

    /// <summary>
    /// A melody to start with (a user's, or an earlier track's): its bars open the new lead sheet and the
    /// generator's bars follow. It must be in the request's key and meter.
    /// </summary>
    public LeadSheet? Opening { get; init; }

    /// <summary>For stingers: also write an OBS stinger transition (WebM, VP9 with alpha).</summary>
    public bool Webm { get; init; }
}
