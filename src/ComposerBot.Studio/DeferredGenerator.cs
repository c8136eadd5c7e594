using ComposerBot.Composition;
using ComposerBot.Music.LeadSheets;

namespace ComposerBot.Studio;

/// <summary>
/// A generator loaded on first use: the n-gram fallback behind the neural composer is read (5 MB, its hash
/// taken) only by a process that needs it, not by every `compose` that starts.
/// </summary>
internal sealed class DeferredGenerator(string name, Func<ILeadSheetGenerator> load) : ILeadSheetGenerator
{
    private readonly Lazy<ILeadSheetGenerator> _generator = new(load);

    public string Name => name;

    public string ModelId => _generator.Value.ModelId;

    public string? SamplingId => _generator.Value.SamplingId;

    public LeadSheet Generate(LeadSheetSpec spec, CancellationToken cancellationToken = default) => _generator.Value.Generate(spec, cancellationToken);

    public bool Supports(LeadSheetSpec spec) => _generator.Value.Supports(spec);
}
