using ComposerBot.Benchmarks;

// Usage: ComposerBot.Benchmarks [--runs N] [--results PATH] [--corpus PATH] [--models PATH] [--only render|evaluation|compose|soundfont|sampling|queue|bot|originality|faults|long-render|verify|cli|kit|radio|serve-memory] [--count N] [--minutes M]
string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var runs = int.Parse(Option("--runs") ?? "5", System.Globalization.CultureInfo.InvariantCulture);
var results = Option("--results") ?? Path.Combine("benchmarks", "RESULTS.md");
var corpus = Option("--corpus") ?? Path.Combine("..", "shared", "corpus");
var only = Option("--only");
var models = Option("--models") ?? "models";

var sections = new List<string>();
if (only is null or "render")
{
    sections.Add(await RenderBenchmark.RunAsync(runs, CancellationToken.None));
}

if (only is null or "evaluation")
{
    sections.Add(File.Exists(Path.Combine(corpus, "manifest.json"))
        ? await EvaluationBenchmark.RunAsync(corpus, CancellationToken.None)
        : $"### Evaluation\n\nSkipped: no corpus at {corpus} (pass --corpus).\n");
}

if (only is null or "compose")
{
    sections.Add(await ComposeBenchmark.RunAsync(runs, models, CancellationToken.None));
}

if (only is null or "soundfont")
{
    sections.Add(await SoundFontBenchmark.RunAsync(runs, models, CancellationToken.None));
}

if (only is null or "cli")
{
    sections.Add(await CliBenchmark.RunAsync(runs, CancellationToken.None));
}

if (only is null or "sampling")
{
    sections.Add(SamplingBenchmark.Run(runs, models, CancellationToken.None));
}

if (only is null or "queue")
{
    sections.Add(await QueueBenchmark.RunAsync(runs, models, CancellationToken.None));
}

if (only is null or "bot")
{
    sections.Add(await BotBenchmark.RunAsync(runs, CancellationToken.None));
}

if (only is "originality")
{
    // Not in the default run: 1,000 generations take a few minutes.
    sections.Add(OriginalityReport.Run(int.Parse(Option("--count") ?? "1000", System.Globalization.CultureInfo.InvariantCulture), models, CancellationToken.None));
}

if (only is "faults")
{
    // Not in the default run: 50 trials start 51 worker processes (several minutes).
    sections.Add(await FaultTrials.RunAsync(int.Parse(Option("--count") ?? "50", System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None));
}

if (only is "long-render")
{
    // Not in the default run: a 20-minute render and the fluidsynth CLI on it take a few minutes.
    sections.Add(await LongRenderBenchmark.RunAsync(CancellationToken.None));
}

if (only is "verify")
{
    // Not in the default run: 46 tracks, 92 copies and nine CLI runs take a few minutes.
    sections.Add(await VerifyBenchmark.RunAsync(models, CancellationToken.None));
}

if (only is null or "kit")
{
    sections.Add(await StreamingBenchmark.KitAsync(runs, models, CancellationToken.None));
}

if (only is "serve-memory")
{
    // Not in the default run: a `serve` process and eight 60-second tracks (a few minutes).
    sections.Add(await ServeMemoryBenchmark.RunAsync(CancellationToken.None));
}

if (only is "radio")
{
    // Not in the default run: a real-time soak (30 minutes unless --minutes says otherwise).
    sections.Add(await StreamingBenchmark.RadioAsync(double.Parse(Option("--minutes") ?? "30", System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None));
}

var report = string.Join(Environment.NewLine, sections);
Console.WriteLine(report);
await ResultsFile.AppendAsync(results, report, CancellationToken.None);
Console.WriteLine($"Appended to {results}");
