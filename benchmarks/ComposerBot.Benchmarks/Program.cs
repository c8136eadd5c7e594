using ComposerBot.Benchmarks;

// Usage: ComposerBot.Benchmarks [--runs N] [--results PATH]
var runs = args.SkipWhile(a => a != "--runs").Skip(1).Select(int.Parse).FirstOrDefault(5);
var results = args.SkipWhile(a => a != "--results").Skip(1).FirstOrDefault() ?? Path.Combine("benchmarks", "RESULTS.md");
var report = await RenderBenchmark.RunAsync(runs, CancellationToken.None);
Console.WriteLine(report);
await ResultsFile.AppendAsync(results, report, CancellationToken.None);
Console.WriteLine($"Appended to {results}");
