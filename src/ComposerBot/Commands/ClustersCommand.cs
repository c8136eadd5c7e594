using System.CommandLine;
using System.Globalization;
using System.Text;
using ComposerBot.Corpus;
using ComposerBot.Evaluation;
using ComposerBot.Generation.Tokens;
using ComposerBot.Music.Clustering;
using ComposerBot.Music.IO;
using ComposerBot.Studio;

namespace ComposerBot.Cli.Commands;

/// <summary>
/// <c>composerbot clusters</c>: groups the training tunes by rhythm, intervals, pitch classes and density
/// (k-means), names each group by its dominant tune type, and writes models/clusters.json (what compose's
/// --feel chooses from) and a page with a 2-D picture.
/// </summary>
public static class ClustersCommand
{
    public static Command Create()
    {
        var home = Environment.GetEnvironmentVariable("COMPOSERBOT_HOME");
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "Where to write clusters.json.", DefaultValueFactory = _ => new DirectoryInfo(ModelStore.DefaultDirectory(home)) };
        var docs = new Option<DirectoryInfo>("--docs") { Description = "Where to write clusters.md and clusters.png.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(home ?? ".", "docs")) };
        var k = new Option<int>("--k") { Description = "How many clusters.", DefaultValueFactory = _ => 8 };
        var seed = new Option<int>("--seed") { Description = "Seed of the k-means restarts.", DefaultValueFactory = _ => 1 };
        var corpus = new CorpusOptions();
        var command = new Command("clusters", "Cluster the training tunes into named feels (k-means) and write models/clusters.json with a picture.") { output, docs, k, seed };
        corpus.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var clusters = parse.GetValue(k);
            if (clusters is < 2 or > 30)
            {
                throw new CliInputException($"--k must be 2-30, not {clusters}.");
            }

            var loaded = await corpus.LoadAsync(parse, cancellationToken).ConfigureAwait(false);
            var tunes = loaded.In(Split.Train).Select(p => (p.LeadSheet, p.Type)).ToList();
            var (model, assignments, points) = TuneClusters.Fit(tunes, clusters, parse.GetValue(seed), LeadSheetTokenizer.FeelOf);
            var directory = parse.GetRequiredValue(output).FullName;
            Directory.CreateDirectory(directory);
            AtomicFile.Write(Path.Combine(directory, TuneClusters.FileName), model.Save);

            var docsDirectory = parse.GetRequiredValue(docs).FullName;
            Directory.CreateDirectory(docsDirectory);
            PlotWriter.Clusters(Path.Combine(docsDirectory, "clusters.png"), Projection.TwoD(points), assignments, [.. model.Clusters.Select(c => c.Name)]);
            await File.WriteAllTextAsync(Path.Combine(docsDirectory, "clusters.md"), Page(model, points.Length), cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"Wrote {Path.Combine(directory, TuneClusters.FileName)} and {Path.Combine(docsDirectory, "clusters.md")}: {string.Join(", ", model.Clusters.Select(c => $"{c.Name} ({c.Size})"))}").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Page(TuneClusters model, int tunes)
    {
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine("# Tune clusters: the feels");
        md.AppendLine();
        md.AppendLine(inv, $"`./composerbot clusters --corpus ../shared/corpus` groups the {tunes} training tunes of at least 8 notes by k-means ({model.Clusters.Count} clusters, seed {model.Seed}, best of 5 k-means++ restarts) on standardised features: the meter family (beats per bar, compound or simple), where onsets fall within the beat, note lengths, the melodic intervals, the pitch classes relative to the tonic, and notes per beat. Each cluster is named by the tune type most of its members carry in the corpus metadata (tunes without a type do not vote), and conditions the neural composer through that type's feel token. `compose --feel NAME` and prompt words such as \"jig\" or \"chorale\" choose one; the file is `models/clusters.json`.");
        md.AppendLine();
        md.AppendLine("| cluster | feel token | tunes | share of the typed tunes with that type | types in it |");
        md.AppendLine("| --- | --- | ---: | ---: | --- |");
        foreach (var c in model.Clusters.OrderByDescending(c => c.Size))
        {
            var types = string.Join(", ", c.Types.Where(t => t.Key.Length > 0).OrderByDescending(t => t.Value).Take(4).Select(t => $"{t.Key} {t.Value}"));
            var untyped = c.Types.GetValueOrDefault("");
            md.AppendLine(inv, $"| {c.Name} | {c.Feel} | {c.Size} | {100 * c.DominantShare:0}% | {types}{(untyped > 0 ? $"; {untyped} without a type" : "")} |");
        }

        md.AppendLine();
        md.AppendLine("![clusters](clusters.png)");
        return md.ToString();
    }
}
