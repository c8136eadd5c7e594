using ComposerBot.Composition;
using ComposerBot.Corpus;
using ComposerBot.Generation.Neural;
using ComposerBot.Generation.Tokens;
using ComposerBot.Music.Forms;
using ComposerBot.Music.LeadSheets;

namespace ComposerBot.Evaluation;

/// <summary>What <c>evaluate</c>, <c>calibrate</c> and <c>critic</c> share when they have the model write melodies for corpus tunes.</summary>
internal static class ModelSampling
{
    /// <summary>Lead sheets generated at once.</summary>
    public const int BatchSize = 16;

    /// <summary>The forms of the training tunes, by feel: what compose's melodies follow.</summary>
    public static FormLibrary TrainingForms(Corpus.Corpus corpus) =>
        FormLibrary.Build(corpus.In(Split.Train).Select(p => (LeadSheetTokenizer.FeelOf(p.Type), p.LeadSheet)));

    /// <summary>
    /// The pieces in an order drawn from <paramref name="random"/>, each with the spec that asks the model for a
    /// melody of its conditioning (feel, key, meter, bars, tempo; seeds from <paramref name="firstSeed"/> on, by
    /// position in that order), the first <paramref name="count"/> the model can write.
    /// </summary>
    public static List<(CorpusPiece Piece, LeadSheetSpec Spec)> Conditionings(IEnumerable<CorpusPiece> pieces, Random random, int firstSeed, int count) =>
    [
        .. pieces.OrderBy(_ => random.Next())
            .Select((p, i) => (Piece: p, Spec: new LeadSheetSpec(p.LeadSheet.Key, p.LeadSheet.Meter, p.LeadSheet.Bars, p.LeadSheet.Bpm, firstSeed + i) { Feel = LeadSheetTokenizer.FeelOf(p.Type) }))
            .Where(p => DecodingGrammar.Unsupported(p.Spec) is null)
            .Take(count),
    ];

    /// <summary>One lead sheet per spec, in batches, reporting the share done as <paramref name="stage"/>.</summary>
    public static List<LeadSheet> Write(NeuralComposer composer, IReadOnlyList<LeadSheetSpec> specs, string stage, IProgress<EvaluationStage>? progress, CancellationToken cancellationToken)
    {
        var sheets = new List<LeadSheet>(specs.Count);
        progress?.Report(new EvaluationStage(stage, 0));
        foreach (var batch in specs.Chunk(BatchSize))
        {
            sheets.AddRange(composer.GenerateBatch(batch, cancellationToken));
            progress?.Report(new EvaluationStage(stage, (double)sheets.Count / specs.Count));
        }

        return sheets;
    }
}
