using System.Diagnostics;
using System.Runtime.InteropServices;
using ComposerBot.Music;
using ComposerBot.Rendering.Encoding;
using ComposerBot.Rendering.Loudness;
using ComposerBot.Rendering.Synthesis;

namespace ComposerBot.Rendering.Streaming;

/// <summary>
/// A long render with flat memory: the synthesizer writes the PCM to a spool on disk; the loudness
/// normaliser's passes (the same secant search, look-ahead limiter and true-peak correction as
/// <see cref="LoudnessNormalizer"/>) and the encoder each read it back block by block. Memory holds a few
/// blocks, never the piece: a 20-minute render needs what a 20-second one does.
/// </summary>
internal sealed class StreamingRender(ScoreSynthesizer synthesizer, FfmpegEncoder encoder, LoudnessTarget target)
{
    public async Task<(EncodeResult Encoded, LoudnessReport Loudness, double Seconds)> RenderAsync(
        Score score,
        RenderRequest request,
        AudioFormat format,
        long maxBytes,
        IReadOnlyDictionary<string, string> metadata,
        IProgress<RenderProgress>? progress,
        Dictionary<RenderPhase, TimeSpan> timings,
        CancellationToken cancellationToken)
    {
        var rate = synthesizer.SampleRate;
        var watch = Stopwatch.StartNew();
        using var spool = new PcmSpool(synthesizer.MusicEndFrame(score));
        var bus = request.Bus is { } busSettings ? new Mixing.BusChain(busSettings, rate) : null;
        var block = Array.Empty<float>();
        synthesizer.RenderBlocks(score, synthesizer.RenderLength(score), samples =>
        {
            if (bus is null)
            {
                spool.Write(samples);
                return;
            }

            // The style's bus, block by block (its state carries over), before the spool.
            if (block.Length < samples.Length)
            {
                block = new float[samples.Length];
            }

            samples.CopyTo(block);
            bus.Process(block.AsSpan(0, samples.Length));
            spool.Write(block.AsSpan(0, samples.Length));
        }, Fraction(progress, RenderPhase.Synthesizing), cancellationToken);
        spool.Finish(synthesizer.MusicEndFrame(score), synthesizer.KeptTailFrames);
        timings[RenderPhase.Synthesizing] = watch.Elapsed;

        watch.Restart();
        progress?.Report(new RenderProgress(RenderPhase.Normalizing, 0));
        var (settings, report) = Normalize(spool, rate, request.Normalize, cancellationToken);
        progress?.Report(new RenderProgress(RenderPhase.Normalizing, 1));
        timings[RenderPhase.Normalizing] = watch.Elapsed;

        watch.Restart();
        progress?.Report(new RenderProgress(RenderPhase.Encoding, 0));
        var seconds = (double)spool.KeptFrames / rate;
        var encoded = await encoder.EncodeAsync(
            seconds,
            rate,
            (stdin, ct) =>
            {
                Run(spool, rate, settings, block => stdin.Write(MemoryMarshal.AsBytes(block)), ct);
                return Task.CompletedTask;
            },
            request.OutputPath,
            format,
            maxBytes,
            metadata,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        timings[RenderPhase.Encoding] = watch.Elapsed;
        progress?.Report(new RenderProgress(RenderPhase.Encoding, 1));
        return (encoded, report, seconds);
    }

    /// <summary>The settings of the final pass and what it measures, found as <see cref="LoudnessNormalizer"/> finds them.</summary>
    private (Pass Settings, LoudnessReport Report) Normalize(PcmSpool spool, int rate, bool normalize, CancellationToken cancellationToken)
    {
        var plain = new Pass(1, null, 1);
        var measured = Measure(spool, rate, plain, cancellationToken);
        if (!normalize || double.IsNegativeInfinity(measured.IntegratedLufs))
        {
            return (plain, measured);
        }

        var (gainDb, ceilingDb, report) = GainSearch.Run(target, measured.IntegratedLufs, (gain, ceiling) =>
        {
            var measuredPass = Measure(spool, rate, new Pass(Math.Pow(10, gain / 20), Math.Pow(10, ceiling / 20), 1), cancellationToken);
            return (measuredPass.IntegratedLufs, () => measuredPass.TruePeakDbtp);
        }, cancellationToken);
        var pass = new Pass(Math.Pow(10, gainDb / 20), Math.Pow(10, ceilingDb / 20), 1);

        // Whatever the passes reached, the ceiling holds: a last plain gain takes off any excess.
        if (report.TruePeakDbtp > target.TruePeakCeilingDbtp)
        {
            pass = pass with { Trim = (float)Math.Pow(10, (target.TruePeakCeilingDbtp - report.TruePeakDbtp - 0.01) / 20) };
            report = Measure(spool, rate, pass, cancellationToken);
        }

        return (pass, report);
    }

    private LoudnessReport Measure(PcmSpool spool, int rate, Pass pass, CancellationToken cancellationToken)
    {
        var loudness = new LoudnessAccumulator(rate);
        var envelope = new StreamingEnvelope(rate);
        var values = new List<float>();
        var peak = 0f;
        void Peaks()
        {
            foreach (var v in values)
            {
                peak = Math.Max(peak, v);
            }

            values.Clear();
        }

        Run(spool, rate, pass, block =>
        {
            loudness.Add(block);
            envelope.Push(block, values);
            Peaks();
        }, cancellationToken);
        envelope.Complete(values);
        Peaks();
        return new LoudnessReport(loudness.IntegratedLufs, 20 * Math.Log10(Math.Max(peak, 1e-12f)));
    }

    /// <summary>One pass over the spool: the gain, the limiter (when there is a ceiling) and the trim, block by block into <paramref name="sink"/>.</summary>
    private void Run(PcmSpool spool, int rate, Pass pass, Action<ReadOnlySpan<float>> sink, CancellationToken cancellationToken)
    {
        if (pass.Ceiling is not { } ceiling)
        {
            // The plain pass (no gain, no limiter): the spool as it is.
            spool.Read(sink, cancellationToken);
            return;
        }

        var envelope = new StreamingEnvelope(rate);
        var limiter = new StreamingLimiter(pass.Gain, ceiling, (int)(target.LookAheadMilliseconds * rate / 1000), (int)(target.ReleaseMilliseconds * rate / 1000));
        var pending = new List<float>();
        var values = new List<float>();
        var gains = new List<float>();
        var output = new List<float>();
        void Flush()
        {
            limiter.Push(CollectionsMarshal.AsSpan(values), gains);
            values.Clear();
            if (gains.Count == 0)
            {
                return;
            }

            for (var k = 0; k < gains.Count; k++)
            {
                // The normaliser's per-frame gain, rounded to float as it is (gain * limiter), then the trim.
                var applied = (float)(pass.Gain * gains[k]) * pass.Trim;
                output.Add(pending[2 * k] * applied);
                output.Add(pending[(2 * k) + 1] * applied);
            }

            pending.RemoveRange(0, 2 * gains.Count);
            gains.Clear();
            sink(CollectionsMarshal.AsSpan(output));
            output.Clear();
        }

        spool.Read(block =>
        {
            pending.AddRange(block);
            envelope.Push(block, values);
            Flush();
        }, cancellationToken);
        envelope.Complete(values);
        Flush();
        limiter.Complete(gains);
        Flush();
    }

    private static SyncProgress? Fraction(IProgress<RenderProgress>? progress, RenderPhase phase) =>
        progress is null ? null : new SyncProgress(f => progress.Report(new RenderProgress(phase, f)));

    /// <summary>The gain, the limiter's ceiling and a final trim of one pass; no ceiling is the plain pass (gain and trim 1, nothing applied).</summary>
    private readonly record struct Pass(double Gain, double? Ceiling, float Trim);

    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
