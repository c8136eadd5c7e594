using ComposerBot.Music.Metrics;
using ComposerBot.Rendering.Imaging;
using ScottPlot;

namespace ComposerBot.Evaluation;

/// <summary>The report's pictures (ScottPlot): the three sets' histograms side by side, and OA per feature.</summary>
public static class PlotWriter
{
    private const string FontName = "DejaVu Sans";
    private static readonly string[] PitchClasses = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"];
    private static readonly Lock FontLock = new();

    public static IReadOnlyList<string> WriteAll(EvaluationReport report, string directory)
    {
        RegisterFont();
        var sets = new[] { report.Generated, report.Heldout, report.Training };
        var intervals = Enumerable.Range(-SetMetrics.IntervalRange, (2 * SetMetrics.IntervalRange) + 1).Select(i => i.ToString("+0;-0;0", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return
        [
            Grouped(directory, "pitch-classes.png", "Pitch-class histogram (melody notes)", PitchClasses, sets.Select(s => (Label(s, report), s.PitchClassHistogram))),
            Grouped(directory, "intervals.png", "Melodic interval histogram (semitones)", intervals, sets.Select(s => (Label(s, report), s.IntervalHistogram))),
            Grouped(directory, "note-lengths.png", "Note-length histogram", DurationClass.Names, sets.Select(s => (Label(s, report), s.NoteLengthHistogram))),
            Grouped(directory, "overlap.png", "mgeval overlapping area with the held-out set (1 = same distribution)", [.. report.GeneratedVsHeldout.Select(c => c.Feature.Replace('_', ' '))],
                [(Label(report.Generated, report), [.. report.GeneratedVsHeldout.Select(c => c.OverlappingArea)]), ("training", [.. report.TrainingVsHeldout.Select(c => c.OverlappingArea)])],
                rotateLabels: true),
            .. report.SelfSimilarityExamples.Count > 0 ? [SelfSimilarityPlot.Write(Path.Combine(directory, "self-similarity.png"), report.SelfSimilarityExamples)] : Array.Empty<string>(),
        ];
    }

    /// <summary>A 2-D projection of clustered tunes, one colour per cluster, named in the legend.</summary>
    public static void Clusters(string path, IReadOnlyList<(double X, double Y)> points, IReadOnlyList<int> assignments, IReadOnlyList<string> names)
    {
        RegisterFont();
        var plot = new Plot();
        plot.Font.Set(FontName);
        var palette = new ScottPlot.Palettes.Category10();
        for (var c = 0; c < names.Count; c++)
        {
            var members = Enumerable.Range(0, points.Count).Where(i => assignments[i] == c).ToList();
            var scatter = plot.Add.ScatterPoints(members.Select(i => points[i].X).ToArray(), members.Select(i => points[i].Y).ToArray());
            scatter.LegendText = $"{names[c]} ({members.Count})";
            scatter.Color = palette.GetColor(c).WithAlpha(0.6);
            scatter.MarkerSize = 4;
        }

        plot.Title("Training tunes by cluster (first two principal components of the tune features)");
        plot.XLabel("component 1");
        plot.YLabel("component 2");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 1100, 700);
    }

    private static string Label(SetMetrics set, EvaluationReport report) => set.Name == "generated" ? report.GeneratorName : set.Name;

    private static string Grouped(string directory, string file, string title, string[] categories, IEnumerable<(string Label, double[] Values)> series, bool rotateLabels = false)
    {
        var plot = new Plot();
        plot.Font.Set(FontName);
        var list = series.ToList();
        var width = 0.8 / list.Count;
        Color[] colors = [new(0x4E, 0xA8, 0xDE), new(0xF2, 0x8E, 0x2B), new(0x9A, 0xA1, 0xB2)];
        for (var s = 0; s < list.Count; s++)
        {
            var positions = Enumerable.Range(0, categories.Length).Select(i => i - 0.4 + (width * (s + 0.5))).ToArray();
            var bars = plot.Add.Bars(positions, list[s].Values);
            bars.LegendText = list[s].Label;
            bars.Color = colors[s % colors.Length];
            foreach (var bar in bars.Bars)
            {
                bar.Size = width * 0.95;
            }
        }

        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, categories.Length).Select(i => (double)i)], categories);
        if (rotateLabels)
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = -40;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            plot.Axes.Bottom.MinimumSize = 150;
        }

        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        plot.ShowLegend(rotateLabels ? Alignment.LowerRight : Alignment.UpperRight);
        var path = Path.Combine(directory, file);
        plot.SavePng(path, 1100, 520);
        return path;
    }

    private static void RegisterFont()
    {
        lock (FontLock)
        {
            if (File.Exists(Typefaces.DejaVuSans))
            {
                ScottPlot.Fonts.AddFontFile(FontName, Typefaces.DejaVuSans, bold: false, italic: false);
                ScottPlot.Fonts.Default = FontName;
            }
        }
    }
}
