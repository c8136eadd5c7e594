using ComposerBot.Music.Forms;
using ComposerBot.Music.Metrics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ComposerBot.Evaluation;

/// <summary>Writes report.md (tables and plots for people) and report.json (every figure, for tools).</summary>
public static class ReportWriter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The published Note RNN and RL (Q) columns of RL Tuner's Table 1, for scale.</summary>
    private static readonly Dictionary<string, (string NoteRnn, string RlQ)> Published = new()
    {
        ["notes excessively repeated"] = ("63.3%", "0.0%"),
        ["notes not in key"] = ("0.1%", "1.0%"),
        ["starts with tonic"] = ("0.9%", "28.8%"),
        ["leaps resolved (RL Tuner's count)"] = ("77.2%", "91.1%"),
        ["leaps stepped back at once"] = ("-", "-"),
        ["unique max note"] = ("64.7%", "56.4%"),
        ["unique min note"] = ("49.4%", "51.9%"),
        ["notes in motif"] = ("5.9%", "75.7%"),
        ["notes in repeated motif"] = ("0.007%", "0.11%"),
        ["autocorrelation lag 1 / 2 / 3"] = ("-.16 / .14 / -.13", "-.11 / .03 / .03"),
    };

    public static async Task WriteAsync(EvaluationReport report, IReadOnlyList<string> plots, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "report.md"), Markdown(report, plots), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(directory, "report.json"), Json(report).ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(directory, "features.csv"), FeaturesCsv(report), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The two-sample test's inputs as CSV: set and feel columns, then one column per piece feature, one row per piece.</summary>
    public static string FeaturesCsv(EvaluationReport report)
    {
        var csv = new StringBuilder();
        csv.AppendLine(string.Join(',', ["set", "feel", .. PieceFeatures.Names]));
        foreach (var (set, rows, feels) in report.PieceFeatureSets)
        {
            foreach (var (row, feel) in rows.Zip(feels))
            {
                csv.AppendLine(string.Join(',', [set, feel, .. row.Select(v => v.ToString("R", Inv))]));
            }
        }

        return csv.ToString();
    }

    public static string Markdown(EvaluationReport report, IReadOnlyList<string> plots)
    {
        var sets = new[] { report.Generated, report.Heldout, report.Training };
        var md = new StringBuilder();
        md.AppendLine(Inv, $"# Evaluation: {report.GeneratorName}");
        md.AppendLine();
        md.AppendLine(Inv, $"{report.CreatedUtc:yyyy-MM-dd HH:mm} UTC. {report.Generated.Pieces} generated pieces beside {report.Heldout.Pieces} held-out pieces (the corpus's test split) and {report.Training.Pieces} sampled from the {report.TrainingPieces} training pieces. Seed {report.Request.Seed}.{(report.Request.Calibration is { } c ? $" The model sampled with its calibration (fitted on the {c.Fit.Split} split, {c.Fit.Pieces} pieces)." : "")}{(report.Request.Critic is { } critic && report.Request.Candidates > 1 ? $" It wrote {report.Request.Candidates} melodies per piece and its critic (fitted on the {critic.Fit.Split} split, {critic.Fit.Pieces} pieces) kept the most human." : "")}{(report.Request.SettledEnding ? " Its melodies settled on the tonic from the middle of their last bar (--settled-ending)." : "")}{(report.Request.ResolveLeaps ? "" : " It could leap twice the same way (--doubled-leaps).")} How to read this: docs/evaluation.md.");
        md.AppendLine();
        md.AppendLine("## Can a classifier tell them from human tunes? (two-sample test)");
        md.AppendLine();
        md.Append(TwoSampleTable(report));
        md.AppendLine();
        md.AppendLine("## Structure: repetition, variation and form");
        md.AppendLine();
        md.Append(StructureTable([(report.GeneratorName, report.Generated.Structure), ("held-out", report.Heldout.Structure), ("training", report.Training.Structure)]));
        md.AppendLine();
        if (report.FormsFollowed > 0)
        {
            md.AppendLine(Inv, $"The model's melodies followed forms of the {report.FormsFollowed} training tunes (which bar restates which, chosen per meter, length and feel), as `compose` does.");
            md.AppendLine();
        }

        md.AppendLine("## Music-theory profile (RL Tuner, Jaques et al. 2017)");
        md.AppendLine();
        md.Append(TheoryTable([(report.GeneratorName, report.Generated.Theory), ("held-out", report.Heldout.Theory), ("training", report.Training.Theory)]));
        md.AppendLine();
        md.AppendLine("## Distribution match (mgeval: overlapping area and KL against the held-out set)");
        md.AppendLine();
        md.AppendLine(Inv, $"| feature | OA {report.GeneratorName} | KL {report.GeneratorName} | OA training | KL training |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var (generated, training) in report.GeneratedVsHeldout.Zip(report.TrainingVsHeldout))
        {
            md.AppendLine(Inv, $"| {generated.Feature} | {generated.OverlappingArea:0.000} | {generated.KlDivergence:0.000} | {training.OverlappingArea:0.000} | {training.KlDivergence:0.000} |");
        }

        md.AppendLine(Inv, $"| **mean** | **{EvaluationReport.MeanOverlap(report.GeneratedVsHeldout):0.000}** | | **{EvaluationReport.MeanOverlap(report.TrainingVsHeldout):0.000}** | |");
        md.AppendLine();
        md.AppendLine("## MusPy metrics (means over pieces; melody with block chords)");
        md.AppendLine();
        md.AppendLine(Inv, $"| metric | {report.GeneratorName} | held-out | training |");
        md.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var key in report.Generated.MusPy.Keys)
        {
            md.AppendLine(Inv, $"| {key} | {string.Join(" | ", sets.Select(s => s.MusPy[key].ToString("0.000", Inv)))} |");
        }

        md.AppendLine();
        md.AppendLine("## Originality against the training split");
        md.AppendLine();
        md.AppendLine(Inv, $"| metric | {report.GeneratorName} | held-out |");
        md.AppendLine("| --- | ---: | ---: |");
        OriginalityRow(md, "mean longest shared run (intervals)", report, o => o.MeanLongestRun.ToString("0.0", Inv));
        OriginalityRow(md, "longest shared run, max", report, o => o.MaxLongestRun.ToString(Inv));
        OriginalityRow(md, $"pieces with a shared run over {OriginalitySummary.CopyThreshold}", report, o => $"{100 * o.ShareOverEight:0.0}%");
        OriginalityRow(md, "novel 8-grams", report, o => $"{100 * o.MeanNovelEightGrams:0.0}%");
        md.AppendLine();
        md.AppendLine("## Likelihood under the n-gram baseline");
        md.AppendLine();
        md.AppendLine(Inv, $"Held-out (test split) NLL per melody note: **{report.Heldout.NgramNllPerNote:0.000} nats**. Generated: {report.Generated.NgramNllPerNote:0.000} nats; training sample: {report.Training.NgramNllPerNote:0.000} nats (seen in training).");
        md.AppendLine();
        if (report.ModelLikelihood is { } m)
        {
            md.AppendLine("## Likelihood under the neural model");
            md.AppendLine();
            md.AppendLine(Inv, $"Model `{m.ModelId[..12]}` on the {m.Pieces} held-out pieces it can tokenize: **{m.NllPerNote:0.000} nats per melody note** ({m.NllPerToken:0.000} per token), against {m.NgramNllPerNote:0.000} for the n-gram baseline on the same pieces: {Math.Abs(m.ImprovementPercent ?? 0):0.0}% {(m.ImprovementPercent >= 0 ? "lower" : "higher")}.");
            md.AppendLine();
        }

        md.AppendLine("## Plots");
        md.AppendLine();
        foreach (var plot in plots)
        {
            md.AppendLine(Inv, $"![{Path.GetFileNameWithoutExtension(plot)}]({Path.GetFileName(plot)})");
            md.AppendLine();
        }

        return md.ToString();
    }

    /// <summary>The RL Tuner table: one column per profile given, then the published Note RNN and RL (Q) columns.</summary>
    public static string TheoryTable(IReadOnlyList<(string Column, TheoryProfile Profile)> columns) =>
        Table(columns, TheoryRows(), ["Note RNN (published)", "RL (Q) (published)"], name => [Published[name].NoteRnn, Published[name].RlQ]);

    /// <summary>The two-sample classifier test: the generated set's and the human baseline's accuracy, interval and telltale features.</summary>
    public static string TwoSampleTable(EvaluationReport report)
    {
        var md = new StringBuilder();
        md.AppendLine(Inv, $"A logistic regression on {PieceFeatures.Names.Count} piece-level features learns to tell the two sets apart; its {TwoSampleTest.Folds}-fold cross-validated accuracy on balanced sets, with a 95% (Wilson) interval. 50% means it cannot tell them apart; the human-vs-human row is the floor to read it by.");
        md.AppendLine();
        md.AppendLine("| comparison | pieces per side | accuracy | 95% interval | features it leans on most (+: first set) |");
        md.AppendLine("| --- | ---: | ---: | --- | --- |");
        foreach (var (name, result) in new[] { ($"{report.GeneratorName} vs held-out", report.GeneratedVsHeldoutTest), ("human vs human (valid vs held-out)", report.HumanVsHumanTest) })
        {
            md.AppendLine(result is { } r
                ? string.Create(Inv, $"| {name} | {r.PiecesPerSide} | **{100 * r.Accuracy:0.0}%** | {100 * r.Low:0.0}-{100 * r.High:0.0}% | {string.Join(", ", r.Telltales.Select(t => string.Create(Inv, $"{t.Feature} {t.Weight:+0.00;-0.00}")))} |")
                : $"| {name} | - | too few pieces | | |");
        }

        if (report.GeneratedVsHeldoutTest is { Separations.Count: > 0 } test)
        {
            md.AppendLine();
            md.AppendLine(Inv, $"What tells {report.GeneratorName} from the held-out tunes, one feature at a time (the best threshold on that feature alone; 50% tells nothing; every piece's features are in features.csv):");
            md.AppendLine();
            md.AppendLine(Inv, $"| feature | mean {report.GeneratorName} | mean held-out | accuracy alone |");
            md.AppendLine("| --- | ---: | ---: | ---: |");
            foreach (var s in test.Separations.Take(10))
            {
                md.AppendLine(Inv, $"| {s.Feature} | {s.MeanA:0.###} | {s.MeanB:0.###} | {100 * s.StumpAccuracy:0.0}% |");
            }
        }

        return md.ToString();
    }

    /// <summary>The structure figures, one column per set.</summary>
    public static string StructureTable(IReadOnlyList<(string Column, StructureProfile Profile)> columns) =>
        Table(columns, StructureRows(), [], _ => []);

    /// <summary>A metric table: one row per metric, one column per set, then any fixed columns (the same for every set).</summary>
    private static string Table<T>(IReadOnlyList<(string Column, T Profile)> columns, IEnumerable<(string Name, Func<T, string> Value)> rows, IReadOnlyList<string> fixedColumns, Func<string, IReadOnlyList<string>> fixedValues)
    {
        var md = new StringBuilder();
        md.AppendLine(Inv, $"| metric | {string.Join(" | ", columns.Select(c => c.Column).Concat(fixedColumns))} |");
        md.AppendLine(Inv, $"| --- |{string.Concat(Enumerable.Repeat(" ---: |", columns.Count + fixedColumns.Count))}");
        foreach (var (name, value) in rows)
        {
            md.AppendLine(Inv, $"| {name} | {string.Join(" | ", columns.Select(c => value(c.Profile)).Concat(fixedValues(name)))} |");
        }

        return md.ToString();
    }

    private static IEnumerable<(string Name, Func<StructureProfile, string> Value)> StructureRows() =>
    [
        ("bars restating an earlier bar (any way)", p => Percent(100 * p.BarRepeats)),
        ("... exactly", p => Percent(100 * p.BarExact)),
        ("... transposed (a sequence)", p => Percent(100 * p.BarTransposed)),
        ("... as a close variation", p => Percent(100 * p.BarVariation)),
        ("2-bar phrases restating an earlier one", p => Percent(100 * p.TwoBarPhraseRepeats)),
        ("4-bar phrases restating an earlier one", p => Percent(100 * p.FourBarPhraseRepeats)),
        ($"structureness indicator, short ({StructureProfile.ShortScale.Shortest}-{StructureProfile.ShortScale.Longest} bars)", p => p.StructurenessShort.ToString("0.000", Inv)),
        ($"structureness indicator, mid ({StructureProfile.MidScale.Shortest}-{StructureProfile.MidScale.Longest} bars)", p => p.StructurenessMid.ToString("0.000", Inv)),
        ("grooving pattern similarity", p => p.GroovingSimilarity.ToString("0.000", Inv)),
        ("leaps (a fifth or more) per note", p => p.LeapsPerNote.ToString("0.000", Inv)),
        ("pitch-class entropy (bits)", p => p.PitchClassEntropy.ToString("0.000", Inv)),
    ];

    private static IEnumerable<(string Name, Func<TheoryProfile, string> Value)> TheoryRows() =>
    [
        ("notes excessively repeated", t => Percent(t.ExcessivelyRepeatedPercent)),
        ("notes not in key", t => Percent(t.NotInKeyPercent)),
        ("starts with tonic", t => Percent(t.StartsWithTonicPercent)),
        ("leaps resolved (RL Tuner's count)", t => Percent(t.LeapsResolvedPercent)),
        ("leaps stepped back at once", t => Percent(t.LeapsSteppedBackPercent)),
        ("unique max note", t => Percent(t.UniqueMaxPercent)),
        ("unique min note", t => Percent(t.UniqueMinPercent)),
        ("notes in motif", t => Percent(t.NotesInMotifPercent)),
        ("notes in repeated motif", t => Percent(t.NotesInRepeatedMotifPercent)),
        ("autocorrelation lag 1 / 2 / 3", t => string.Create(Inv, $"{t.Autocorrelation1:0.00} / {t.Autocorrelation2:0.00} / {t.Autocorrelation3:0.00}")),
    ];

    private static string Percent(double value) => value.ToString("0.0", Inv) + "%";

    private static void OriginalityRow(StringBuilder md, string name, EvaluationReport report, Func<OriginalitySummary, string> value) =>
        md.AppendLine(Inv, $"| {name} | {(report.Generated.Originality is { } g ? value(g) : "-")} | {(report.Heldout.Originality is { } h ? value(h) : "-")} |");

    public static JsonObject Json(EvaluationReport report)
    {
        static JsonObject Set(SetMetrics s) => new()
        {
            ["name"] = s.Name,
            ["pieces"] = s.Pieces,
            ["notes"] = s.Notes,
            ["theory"] = JsonSerializer.SerializeToNode(new Dictionary<string, double>
            {
                ["excessively_repeated_percent"] = s.Theory.ExcessivelyRepeatedPercent,
                ["not_in_key_percent"] = s.Theory.NotInKeyPercent,
                ["starts_with_tonic_percent"] = s.Theory.StartsWithTonicPercent,
                ["leaps_resolved_percent"] = s.Theory.LeapsResolvedPercent,
                ["leaps_stepped_back_percent"] = s.Theory.LeapsSteppedBackPercent,
                ["unique_max_percent"] = s.Theory.UniqueMaxPercent,
                ["unique_min_percent"] = s.Theory.UniqueMinPercent,
                ["notes_in_motif_percent"] = s.Theory.NotesInMotifPercent,
                ["notes_in_repeated_motif_percent"] = s.Theory.NotesInRepeatedMotifPercent,
                ["autocorrelation_lag1"] = s.Theory.Autocorrelation1,
                ["autocorrelation_lag2"] = s.Theory.Autocorrelation2,
                ["autocorrelation_lag3"] = s.Theory.Autocorrelation3,
            }, EvaluationJsonContext.Default.DictionaryStringDouble),
            ["muspy"] = JsonSerializer.SerializeToNode(s.MusPy.ToDictionary(), EvaluationJsonContext.Default.DictionaryStringDouble),
            ["originality"] = s.Originality is { } o ? new JsonObject
            {
                ["mean_longest_shared_run"] = o.MeanLongestRun,
                ["max_longest_shared_run"] = o.MaxLongestRun,
                ["share_over_8"] = o.ShareOverEight,
                ["novel_8gram_share"] = o.MeanNovelEightGrams,
            }
            : null,
            ["structure"] = new JsonObject(StructureProfile.Names.Zip(s.Structure.Values(), (n, v) => KeyValuePair.Create(n, (JsonNode?)v))),
            ["ngram_nll_per_note"] = s.NgramNllPerNote,
            ["pitch_class_histogram"] = new JsonArray([.. s.PitchClassHistogram.Select(v => (JsonNode)v)]),
            ["interval_histogram"] = new JsonArray([.. s.IntervalHistogram.Select(v => (JsonNode)v)]),
            ["note_length_histogram"] = new JsonArray([.. s.NoteLengthHistogram.Select(v => (JsonNode)v)]),
        };

        static JsonObject? TwoSampleJson(TwoSampleResult? r) => r is null ? null : new JsonObject
        {
            ["pieces_per_side"] = r.PiecesPerSide,
            ["accuracy"] = r.Accuracy,
            ["ci95_low"] = r.Low,
            ["ci95_high"] = r.High,
            ["telltales"] = new JsonObject(r.Telltales.Select(t => KeyValuePair.Create(t.Feature, (JsonNode?)t.Weight))),
            ["separations"] = new JsonObject(r.Separations.Select(s => KeyValuePair.Create(s.Feature, (JsonNode?)new JsonObject
            {
                ["mean_first"] = s.MeanA,
                ["mean_second"] = s.MeanB,
                ["stump_accuracy"] = s.StumpAccuracy,
            }))),
        };

        static JsonObject Comparisons(IReadOnlyList<FeatureComparison> list) => new(list.Select(c =>
            KeyValuePair.Create(c.Feature, (JsonNode?)new JsonObject { ["oa"] = c.OverlappingArea, ["kl"] = c.KlDivergence })));

        return new JsonObject
        {
            ["generator"] = report.Request.Generator.ToString().ToLowerInvariant(),
            ["generator_name"] = report.GeneratorName,
            ["count"] = report.Request.Count,
            ["seed"] = report.Request.Seed,
            ["model_likelihood"] = report.ModelLikelihood is { } m ? new JsonObject
            {
                ["model_id"] = m.ModelId,
                ["pieces"] = m.Pieces,
                ["nll_per_token"] = m.NllPerToken,
                ["nll_per_note"] = m.NllPerNote,
                ["ngram_nll_per_note"] = m.NgramNllPerNote,
                ["improvement_percent"] = m.ImprovementPercent,
            }
            : null,
            ["two_sample_test"] = new JsonObject
            {
                ["generated_vs_heldout"] = TwoSampleJson(report.GeneratedVsHeldoutTest),
                ["human_vs_human"] = TwoSampleJson(report.HumanVsHumanTest),
            },
            ["forms_followed"] = report.FormsFollowed,
            ["created_utc"] = report.CreatedUtc.ToString("O", Inv),
            ["training_pieces"] = report.TrainingPieces,
            ["sets"] = new JsonObject { ["generated"] = Set(report.Generated), ["heldout"] = Set(report.Heldout), ["training"] = Set(report.Training) },
            ["mgeval"] = new JsonObject
            {
                ["generated_vs_heldout"] = Comparisons(report.GeneratedVsHeldout),
                ["training_vs_heldout"] = Comparisons(report.TrainingVsHeldout),
                ["mean_oa_generated"] = EvaluationReport.MeanOverlap(report.GeneratedVsHeldout),
                ["mean_oa_training"] = EvaluationReport.MeanOverlap(report.TrainingVsHeldout),
            },
        };
    }
}
