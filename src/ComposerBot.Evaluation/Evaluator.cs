using ComposerBot.Music.IO;
using ComposerBot.Composition;
using ComposerBot.Corpus;
using ComposerBot.Generation.NGram;
using ComposerBot.Generation.Neural;
using ComposerBot.Generation.Tokens;
using ComposerBot.Music.Forms;
using ComposerBot.Music.LeadSheets;
using ComposerBot.Music.Metrics;

namespace ComposerBot.Evaluation;

/// <summary>
/// Runs an evaluation: loads the corpus (cached), builds or loads the originality index of the training
/// split, trains the n-gram baseline, produces the generated set, and measures it beside the held-out test
/// split and a sample of the training split.
/// </summary>
public static class Evaluator
{
    public static EvaluationReport Run(EvaluationRequest request, IProgress<EvaluationStage>? progress = null, CancellationToken cancellationToken = default)
    {
        if (request.Generator == GeneratorKind.Model && (request.ModelPath is null || !File.Exists(request.ModelPath)))
        {
            throw new EvaluationException($"no neural model at {request.ModelPath ?? "(none given)"}: train one with './composerbot train', or try --generator ngram.");
        }

        var corpus = CorpusLoader.Load(request.CorpusPath, request.CacheDirectory, Fraction(progress, "Loading corpus"), cancellationToken);
        var train = corpus.In(Split.Train).Select(p => p.LeadSheet).ToList();
        var test = corpus.In(Split.Test).Select(p => p.LeadSheet).ToList();
        var valid = corpus.In(Split.Valid).Select(p => p.LeadSheet).ToList();
        if (train.Count == 0 || test.Count == 0)
        {
            throw new EvaluationException($"the corpus at {request.CorpusPath} needs pieces in both its train and test splits.");
        }

        progress?.Report(new EvaluationStage("Indexing training melodies", 0));
        var index = LoadOrBuildIndex(corpus, request.CacheDirectory);
        progress?.Report(new EvaluationStage("Indexing training melodies", 1));

        progress?.Report(new EvaluationStage("Training n-gram baseline", 0));
        var ngram = NGramModel.Train(train);
        progress?.Report(new EvaluationStage("Training n-gram baseline", 1));

        var random = new Random(request.Seed);
        var heldout = Sample(test, request.Count, random);
        var feelOf = corpus.Pieces.ToDictionary<CorpusPiece, LeadSheet, string>(p => p.LeadSheet, p => LeadSheetTokenizer.FeelOf(p.Type), ReferenceEqualityComparer.Instance);
        var forms = request.Generator == GeneratorKind.Model && request.UseForms
            ? ModelSampling.TrainingForms(corpus)
            : null;
        ModelLikelihood? likelihood = null;
        List<LeadSheet> generated;
        List<string> generatedFeels;
        switch (request.Generator)
        {
            case GeneratorKind.Heldout:
                generated = Sample(valid.Count > 0 ? valid : test, request.Count, random);
                generatedFeels = [.. generated.Select(s => feelOf[s])];
                break;
            case GeneratorKind.Model:
                // A reference whose meter the model cannot write gives way to the next test piece, so every set keeps its size.
                var spare = test.Where(t => !heldout.Contains(t, ReferenceEqualityComparer.Instance)).OrderBy(_ => random.Next()).ToList();
                (generated, generatedFeels, likelihood) = RunModel(request.ModelPath!, request.Device, heldout, spare, sheet => feelOf[sheet], ngram, forms, request, progress, cancellationToken);
                break;
            default:
                generated = Generate(new NGramComposer(ngram, $"ngram-{corpus.Fingerprint}"), heldout, request, progress, cancellationToken);
                generatedFeels = [.. generated.Select((_, i) => feelOf[heldout[i % heldout.Count]])];
                break;
        }

        progress?.Report(new EvaluationStage("Measuring", 0));
        var trainingSample = Sample(train, request.Count, random);
        var humanSample = valid.Count > 0 ? Sample(valid, request.Count, new Random(request.Seed + 1)) : [];
        double[][] generatedFeatures = [.. generated.Select(PieceFeatures.Of)], heldoutFeatures = [.. heldout.Select(PieceFeatures.Of)], humanFeatures = [.. humanSample.Select(PieceFeatures.Of)];
        var report = new EvaluationReport(
            request,
            request.Generator switch { GeneratorKind.Heldout => "held-out (valid split)", GeneratorKind.Model => "model", _ => "n-gram" },
            DateTime.UtcNow,
            train.Count,
            SetMetrics.Compute("generated", generated, index, ngram),
            SetMetrics.Compute("held-out", heldout, index, ngram),
            SetMetrics.Compute("training", trainingSample, null, ngram),
            FeatureComparison.Compare(generated, heldout),
            FeatureComparison.Compare(trainingSample, heldout))
        {
            ModelLikelihood = likelihood,
            GeneratedVsHeldoutTest = TwoSample("generated vs held-out", generatedFeatures, heldoutFeatures, request.Seed),
            HumanVsHumanTest = TwoSample("valid split vs held-out", humanFeatures, heldoutFeatures, request.Seed),
            PieceFeatureSets =
            [
                ("generated", generatedFeatures, generatedFeels),
                ("heldout", heldoutFeatures, [.. heldout.Select(s => feelOf[s])]),
                ("human", humanFeatures, [.. humanSample.Select(s => feelOf[s])]),
            ],
            FormsFollowed = forms?.Count ?? 0,
            SelfSimilarityExamples =
            [
                (request.Generator switch { GeneratorKind.Heldout => "held-out (valid split)", GeneratorKind.Model => "model", _ => "n-gram" }, Examples(generated, request.Seed)),
                ("held-out (test split)", Examples(heldout, request.Seed)),
                ("training", Examples(trainingSample, request.Seed)),
            ],
        };
        progress?.Report(new EvaluationStage("Measuring", 1));
        return report;
    }

    private static TwoSampleResult? TwoSample(string comparison, IReadOnlyList<double[]> a, IReadOnlyList<double[]> b, int seed) =>
        Math.Min(a.Count, b.Count) < TwoSampleTest.MinimumPerSide ? null : TwoSampleTest.Run(comparison, a, b, PieceFeatures.Names, seed);

    /// <summary>Three pieces of a set picked by the seed, with their bar-level self-similarity matrices.</summary>
    private static IReadOnlyList<(string Title, double[,] Matrix)> Examples(IReadOnlyList<LeadSheet> sheets, int seed)
    {
        var random = new Random(seed + 2);
        return [.. sheets.Select((s, i) => (Sheet: s, Index: i)).OrderBy(_ => random.Next()).Take(3)
            .Select(p => ($"#{p.Index + 1}: {p.Sheet.Bars} bars, {MelodyStructure.FormOf(p.Sheet).Letters()}", MelodyStructure.SelfSimilarity(p.Sheet)))];
    }

    /// <summary>One generated piece per reference piece in turn, with its key, meter, bar count and tempo.</summary>
    private static List<LeadSheet> Generate(ILeadSheetGenerator generator, IReadOnlyList<LeadSheet> references, EvaluationRequest request, IProgress<EvaluationStage>? progress, CancellationToken cancellationToken)
    {
        var sheets = new List<LeadSheet>(request.Count);
        for (var i = 0; i < request.Count; i++)
        {
            var reference = references[i % references.Count];
            sheets.Add(generator.Generate(new LeadSheetSpec(reference.Key, reference.Meter, reference.Bars, reference.Bpm, request.Seed + i), cancellationToken));
            progress?.Report(new EvaluationStage($"Generating ({generator.Name})", (i + 1.0) / request.Count));
        }

        return sheets;
    }

    /// <summary>
    /// Loads the neural model, generates one piece per reference (in batches, each with its reference's key,
    /// meter, bars and tempo) and measures its likelihood of the held-out pieces.
    /// </summary>
    private static (List<LeadSheet> Generated, List<string> Feels, ModelLikelihood Likelihood) RunModel(
        string manifestPath, string device, IReadOnlyList<LeadSheet> references, IReadOnlyList<LeadSheet> spare, Func<LeadSheet, string> feelOf, NGramModel ngram,
        FormLibrary? forms, EvaluationRequest request, IProgress<EvaluationStage>? progress, CancellationToken cancellationToken)
    {
        var (model, manifest) = ModelFiles.Load(manifestPath, TorchRuntime.Resolve(device));
        using (model)
        {
            var composer = new NeuralComposer(model, manifest.WeightsSha256, new SamplingOptions { TopP = request.TopP, ChromaticShare = request.ChromaticShare, RecurrencePenalty = request.RecurrencePenalty, OtherTopP = request.OtherTopP, Calibration = request.Calibration, SettledEnding = request.SettledEnding, ResolveLeaps = request.ResolveLeaps, Critic = request.Critic, Candidates = request.Candidates }, forms);
            LeadSheetSpec SpecOf(LeadSheet reference, int i) => new(reference.Key, reference.Meter, reference.Bars, reference.Bpm, request.Seed + i) { Feel = feelOf(reference), Temperature = request.Temperature };
            var replacements = spare.Where(r => DecodingGrammar.Unsupported(SpecOf(r, 0)) is null).GetEnumerator();
            var supported = new List<LeadSheetSpec>(request.Count);
            for (var i = 0; i < request.Count; i++)
            {
                var spec = SpecOf(references[i % references.Count], i);
                if (DecodingGrammar.Unsupported(spec) is null)
                {
                    supported.Add(spec);
                }
                else if (replacements.MoveNext())
                {
                    supported.Add(SpecOf(replacements.Current, i));
                }
            }

            var generated = ModelSampling.Write(composer, supported, $"Generating ({composer.Name})", progress, cancellationToken);

            progress?.Report(new EvaluationStage("Scoring held-out pieces", 0));
            var likelihood = Score(model, manifest, references, feelOf, ngram, cancellationToken);
            progress?.Report(new EvaluationStage("Scoring held-out pieces", 1));
            return (generated, [.. supported.Select(s => s.Feel ?? "other")], likelihood);
        }
    }

    /// <summary>
    /// The model's likelihood of the same held-out sample <c>evaluate --count N --seed S</c> measures, without
    /// generating anything: how a test holds the shipped weights to the figure their model card states.
    /// </summary>
    public static ModelLikelihood HeldoutLikelihood(EvaluationRequest request, CancellationToken cancellationToken = default)
    {
        var corpus = CorpusLoader.Load(request.CorpusPath, request.CacheDirectory, null, cancellationToken);
        var test = corpus.In(Split.Test).Select(p => p.LeadSheet).ToList();
        var feels = corpus.In(Split.Test).ToDictionary<CorpusPiece, LeadSheet, string>(p => p.LeadSheet, p => LeadSheetTokenizer.FeelOf(p.Type), ReferenceEqualityComparer.Instance);
        var heldout = Sample(test, request.Count, new Random(request.Seed));
        var (model, manifest) = ModelFiles.Load(request.ModelPath ?? throw new EvaluationException("no model given."), TorchRuntime.Resolve(request.Device));
        using (model)
        {
            return Score(model, manifest, heldout, sheet => feels[sheet], null, cancellationToken);
        }
    }

    /// <summary>The model's NLL of the reference pieces it can tokenize, beside the n-gram's on the same pieces.</summary>
    private static ModelLikelihood Score(MusicTransformer model, ModelManifest manifest, IReadOnlyList<LeadSheet> references, Func<LeadSheet, string> feelOf, NGramModel? ngram, CancellationToken cancellationToken)
    {
        var tokenizer = new LeadSheetTokenizer();
        var scorable = references.Select(r => (Reference: r, Tokens: tokenizer.TryEncodeQuantized(r, new Conditioning(feelOf(r), r.Bpm)))).Where(r => r.Tokens is not null).ToList();
        var score = SequenceScorer.Score(model, tokenizer, scorable.Select(r => r.Tokens!), cancellationToken);
        var (ngramNats, ngramNotes) = ngram is null ? (0, 0) : scorable.Select(r => ngram.MelodyNll(r.Reference)).Aggregate((Nats: 0.0, Notes: 0), (a, b) => (a.Nats + b.TotalNats, a.Notes + b.Notes));
        return new ModelLikelihood(manifest.WeightsSha256, scorable.Count, score.PerToken, score.PerNote, ngramNotes == 0 ? null : ngramNats / ngramNotes);
    }

    private static OriginalityIndex LoadOrBuildIndex(Corpus.Corpus corpus, string cacheDirectory)
    {
        var path = Path.Combine(cacheDirectory, $"originality-{corpus.Fingerprint}.bin.gz");
        if (File.Exists(path))
        {
            using var stream = File.OpenRead(path);
            return OriginalityIndex.Load(stream);
        }

        var index = OriginalityIndex.Build(corpus.In(Split.Train).Select(p => (p.File, MelodySymbols.Of(p.LeadSheet.Melody, LeadSheet.Resolution))));
        Directory.CreateDirectory(cacheDirectory);
        AtomicFile.Write(path, index.Save);
        return index;
    }

    private static List<LeadSheet> Sample(IReadOnlyList<LeadSheet> pool, int count, Random random) =>
        pool.Count <= count ? [.. pool] : [.. pool.OrderBy(_ => random.Next()).Take(count)];

    private static Progress<(int Done, int Total)>? Fraction(IProgress<EvaluationStage>? progress, string name) =>
        progress is null ? null : new ImmediateProgress(p => progress.Report(new EvaluationStage(name, (double)p.Done / Math.Max(1, p.Total))));

    private sealed class ImmediateProgress(Action<(int Done, int Total)> report) : Progress<(int Done, int Total)>, IProgress<(int Done, int Total)>
    {
        void IProgress<(int Done, int Total)>.Report((int Done, int Total) value) => report(value);
    }
}
