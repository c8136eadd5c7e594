using ComposerBot.Composition;
using ComposerBot.Composition.Planning;
using ComposerBot.Music.LeadSheets;
using ComposerBot.Music.Metrics;

namespace ComposerBot.Studio;

/// <summary>
/// A track's lead sheet, planned, written, shaped and checked for originality, not yet arranged or rendered:
/// the first step of <see cref="TrackComposer"/>, on its own so that work which needs only the melody (a stream
/// kit's other pieces need the first one's motif) can start before the audio is made. The resolved request is
/// the plan's (<see cref="FormPlan.Request"/>).
/// </summary>
public sealed record Draft(
    ComposeOrder Order,
    FormPlan Plan,
    string Feel,
    ILeadSheetGenerator Generator,
    LeadSheet Sheet,
    OriginalityReport Originality,
    int Attempts,
    IReadOnlyList<KeyValuePair<string, TimeSpan>> Timings);
