using System.Diagnostics;
using System.Globalization;
using System.Text;
using ComposerBot.Composition;
using ComposerBot.Generation.Neural;
using ComposerBot.Music;

namespace ComposerBot.Benchmarks;

/// <summary>
/// Sampling speed of the shipped neural composer on the CPU (compose's <see cref="CpuDecoder"/>): one stream
/// with the KV cache against the same sampling without it (every step re-runs the prefix), measured in the same
/// run; a 60-second lead sheet (30 bars of 4/4 at 120 bpm), also through libtorch (<see cref="TorchDecoder"/>,
/// one thread, as compose sampled until 2026-11-28) with the same tokens checked; compose's melody with the
/// critic against one without it, and four candidates in a batch against one alone; and a batch of 8.
/// </summary>
internal static class SamplingBenchmark
{
    public static string Run(int runs, string modelsDirectory, CancellationToken cancellationToken)
    {
        var manifestPath = ModelFiles.ManifestPath(modelsDirectory);
        if (!File.Exists(manifestPath))
        {
            return $"### Neural sampling\n\nSkipped: no model at {manifestPath} (run ./composerbot train).\n";
        }

        var (model, manifest) = ModelFiles.Load(manifestPath, TorchRuntime.Resolve("cpu"));
        using (model)
        {
            var cached = new NeuralComposer(model, manifest.WeightsSha256);
            var uncached = new NeuralComposer(model, manifest.WeightsSha256, new SamplingOptions { UseKvCache = false });
            LeadSheetSpec Spec(int bars, int seed) => new(KeySignature.FromTonic(2, KeyMode.Major), new MeterChange(0, 4, 4), bars, 120, seed);
            cached.SampleTokens([Spec(2, 0)], cancellationToken); // warm-up

            double Rate(NeuralComposer composer, int bars, int seed, out double seconds)
            {
                var watch = Stopwatch.StartNew();
                var tokens = composer.SampleTokens([Spec(bars, seed)], cancellationToken)[0].Length;
                seconds = watch.Elapsed.TotalSeconds;
                return tokens / seconds;
            }

            var withCache = Enumerable.Range(1, runs).Select(i => Rate(cached, 8, i, out _)).ToList();
            var withoutCache = Enumerable.Range(1, runs).Select(i => Rate(uncached, 8, i, out _)).ToList();
            var sixty = new List<double>();
            var sixtyRates = new List<double>();
            var torchSixty = new List<double>();
            var torchRatios = new List<double>();
            var viaTorch = new NeuralComposer(new TorchDecoder(model), manifest.WeightsSha256);
            var torchThreads = TorchSharp.torch.get_num_threads();
            for (var i = 1; i <= runs; i++)
            {
                sixtyRates.Add(Rate(cached, 30, 100 + i, out var seconds));
                sixty.Add(seconds);
                TorchRuntime.SetThreads(1);
                var watch = Stopwatch.StartNew();
                var tokens = viaTorch.SampleTokens([Spec(30, 100 + i)], cancellationToken)[0];
                torchSixty.Add(watch.Elapsed.TotalSeconds);
                torchRatios.Add(seconds / watch.Elapsed.TotalSeconds);
                TorchRuntime.SetThreads(torchThreads);
                if (!tokens.SequenceEqual(cached.SampleTokens([Spec(30, 100 + i)], cancellationToken)[0]))
                {
                    throw new InvalidOperationException($"libtorch and the managed decoder sampled other tokens (seed {100 + i}).");
                }
            }

            // The critic's candidates: four 60-second lead sheets in one batch, each against one alone in the same run.
            var candidateRatios = new List<double>();
            var candidateSeconds = new List<double>();
            for (var i = 1; i <= runs; i++)
            {
                var spec = Spec(30, 300 + i);
                var watch = Stopwatch.StartNew();
                cached.SampleTokens([spec], cancellationToken);
                var one = watch.Elapsed.TotalSeconds;
                watch.Restart();
                cached.SampleTokens([.. Enumerable.Range(0, 4).Select(c => NeuralComposer.Candidate(spec, c))], cancellationToken);
                candidateSeconds.Add(watch.Elapsed.TotalSeconds);
                candidateRatios.Add(watch.Elapsed.TotalSeconds / one);
            }

            // Compose's melody with the shipped critic (rounds of candidates until one is accepted) against one melody.
            var critic = MelodyCritic.LoadFor(Path.Combine(modelsDirectory, MelodyCritic.FileName), manifest.WeightsSha256);
            var calibration = SamplingCalibration.LoadFor(Path.Combine(modelsDirectory, SamplingCalibration.FileName), manifest.WeightsSha256);
            // As compose samples: where there are cores to spare two candidates at once
            // (Composer:ConcurrentCandidates), against the rounds one after another.
            var criticRatios = new List<double>();
            var criticSeconds = new List<double>();
            var atOnceSeconds = new List<double>();
            var atOnceRatios = new List<double>();
            var concurrent = new Studio.ComposerOptions().ResolvedConcurrentCandidates;
            if (critic is not null)
            {
                var alone = new NeuralComposer(model, manifest.WeightsSha256, new SamplingOptions { Calibration = calibration });
                var chosen = new NeuralComposer(model, manifest.WeightsSha256, new SamplingOptions { Calibration = calibration, Critic = critic, ConcurrentCandidates = 1 });
                var atOnce = new NeuralComposer(model, manifest.WeightsSha256, new SamplingOptions { Calibration = calibration, Critic = critic, ConcurrentCandidates = concurrent });
                for (var i = 1; i <= runs * 2; i++)
                {
                    var spec = Spec(30, 400 + i) with { Feel = "reel" };
                    var watch = Stopwatch.StartNew();
                    alone.Generate(spec, cancellationToken);
                    var one = watch.Elapsed.TotalSeconds;
                    watch.Restart();
                    var sequential = chosen.Generate(spec, cancellationToken);
                    var rounds = watch.Elapsed.TotalSeconds;
                    criticSeconds.Add(rounds);
                    criticRatios.Add(rounds / one);
                    watch.Restart();
                    var sooner = atOnce.Generate(spec, cancellationToken);
                    atOnceSeconds.Add(watch.Elapsed.TotalSeconds);
                    atOnceRatios.Add(watch.Elapsed.TotalSeconds / rounds);
                    if (!sooner.Equals(sequential))
                    {
                        throw new InvalidOperationException($"candidates sampled at once gave another lead sheet than one after another (seed {spec.Seed}).");
                    }
                }
            }

            var batchWatch = Stopwatch.StartNew();
            var batch = cached.SampleTokens([.. Enumerable.Range(0, 8).Select(i => Spec(8, 200 + i))], cancellationToken);
            var batchRate = batch.Sum(t => t.Length) / batchWatch.Elapsed.TotalSeconds;

            var inv = CultureInfo.InvariantCulture;
            var cacheRate = Measure.Median(withCache);
            var ratio = cacheRate / Measure.Median(withoutCache);
            var text = new StringBuilder();
            text.AppendLine(inv, $"### Neural sampling (model {manifest.WeightsSha256[..12]}, {model.Config.ParameterCount:N0} parameters, CPU, the managed decoder on one thread; {runs} runs each)");
            text.AppendLine();
            text.AppendLine("| what | p50 | min |");
            text.AppendLine("| --- | --- | --- |");
            text.AppendLine(inv, $"| single stream, KV cache, 8 bars | {cacheRate:N0} tokens/s | {withCache.Min():N0} tokens/s |");
            text.AppendLine(inv, $"| single stream, no cache (baseline), 8 bars | {Measure.Median(withoutCache):N0} tokens/s | {withoutCache.Min():N0} tokens/s |");
            text.AppendLine(inv, $"| 60-second lead sheet (30 bars 4/4, 120 bpm), KV cache | {Measure.Median(sixty):0.000} s ({Measure.Median(sixtyRates):N0} tokens/s) | max {sixty.Max():0.000} s |");
            text.AppendLine(inv, $"| the same lead sheets through libtorch (TorchDecoder, 1 thread; the same tokens, checked) | {Measure.Median(torchSixty):0.000} s; the managed decoder takes {Measure.Median(torchRatios):0.00}x its time (same run) | max {torchSixty.Max():0.000} s |");
            text.AppendLine(inv, $"| batch of 8 x 8 bars, KV cache | {batchRate:N0} tokens/s in all | |");
            text.AppendLine(critic is null
                ? "| compose's melody with the critic | no critic beside the model | |"
                : string.Create(inv, $"| compose's 60-second melody with the critic (rounds of up to {new SamplingOptions().Candidates} candidates one after another; calibration on) | {Measure.Median(criticSeconds):0.000} s, {Measure.Median(criticRatios):0.00}x one melody without it (same run, mean {criticRatios.Average():0.00}x) | max {criticSeconds.Max():0.000} s |"));
            if (critic is not null)
            {
                text.AppendLine(inv, $"| the same, {concurrent} candidates at once (compose's default here; the same lead sheets, checked) | {Measure.Median(atOnceSeconds):0.000} s, {Measure.Median(atOnceRatios):0.00}x one after another (same run, mean {atOnceRatios.Average():0.00}x) | max {atOnceSeconds.Max():0.000} s |");
            }

            text.AppendLine(inv, $"| 4 candidates of a 60-second lead sheet in one batch (not used: rows lose the forms' forced runs) | {Measure.Median(candidateSeconds):0.000} s, {Measure.Median(candidateRatios):0.00}x one sheet alone (same run) | max {candidateSeconds.Max():0.000} s |");
            text.AppendLine();
            text.AppendLine(inv, $"**The KV cache samples {ratio:0.0}x faster than re-running the prefix (same run).** Targets: >= 500 tokens/s single stream ({(cacheRate >= 500 ? "met" : "missed")}); a 60-second lead sheet under 1 s ({(Measure.Median(sixty) < 1 ? "met" : "missed")}).");
            return text.ToString();
        }
    }
}
