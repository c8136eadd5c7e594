using ComposerBot.Music.LeadSheets;

namespace ComposerBot.Composition;

/// <summary>Writes a lead sheet (melody and chords) to a spec. The same spec and seed give the same lead sheet.</summary>
public interface ILeadSheetGenerator
{
    /// <summary>A short name for reports and receipts, e.g. "ngram".</summary>
    string Name { get; }

    /// <summary>Identifies the trained model (a content hash), for receipts.</summary>
    string ModelId { get; }

    /// <summary>
    /// Identifies what besides the model decides the melody (a content hash of the sampling calibration and the
    /// melody critic with its number of candidates), for receipts; null where nothing does.
    /// </summary>
    string? SamplingId => null;

    LeadSheet Generate(LeadSheetSpec spec, CancellationToken cancellationToken = default);

    /// <summary>Whether this generator can write the spec (a model may lack a meter or a length).</summary>
    bool Supports(LeadSheetSpec spec) => true;
}
