using ComposerBot.Music;
using ComposerBot.Music.IO;
using ComposerBot.Rendering.Encoding;
using ComposerBot.Rendering.Imaging;
using ComposerBot.Rendering.Loudness;
using ComposerBot.Rendering.Synthesis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ComposerBot.Rendering;

/// <summary>
/// Score to finished files: synthesize (and stems, and loops), normalise loudness, encode to fit the byte
/// limit, draw the piano roll. Every output is checked for writability before the work starts and written
/// atomically.
/// </summary>
public sealed partial class RenderPipeline(
    ScoreSynthesizer synthesizer,
    FfmpegEncoder encoder,
    PianoRollRenderer pianoRoll,
    IOptions<RenderingOptions> options,
    TimeProvider time,
    ILogger<RenderPipeline> logger)
{
    /// <summary>How much of a third pass a loop is rendered with: what the bus compressor and the limiter see past the loop's end.</summary>
    private const double LoopLookAheadSeconds = 2;
    private const double StingerFadeSeconds = 0.03;
    private readonly RenderingOptions _options = options.Value;

    public async Task<RenderResult> RenderAsync(Score score, RenderRequest request, IProgress<RenderProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var format = AudioFormats.FromPath(request.OutputPath);
        foreach (var path in new[] { request.OutputPath, request.PianoRollPath }.Concat(request.StemPaths.Values).OfType<string>())
        {
            OutputPath.EnsureWritable(path);
        }

        // What cannot be rendered at all, then what cannot fit (its size is known before synthesis): refused at once, not minutes later.
        synthesizer.Validate(score);
        var maxBytes = request.MaxBytes ?? _options.MaxBytes;
        var seconds = request.ExactSeconds ?? (request.LoopLengthTicks is { } loopLength ? score.TempoMap.ToSeconds(loopLength) : score.DurationSeconds);
        if (FfmpegEncoder.MinimumBytes(format, seconds) > maxBytes)
        {
            throw FfmpegEncoder.TooLarge(format, maxBytes);
        }

        var timings = new Dictionary<RenderPhase, TimeSpan>();
        if (request.LoopLengthTicks is null && request.ExactSeconds is null && request.StemPaths.Count == 0 && score.DurationSeconds > _options.StreamAboveSeconds)
        {
            return await RenderStreamingAsync(score, request, format, maxBytes, timings, progress, cancellationToken).ConfigureAwait(false);
        }

        var played = request.LoopLengthTicks is { } loopTicks ? Repeat(score, loopTicks) : score;
        var (mix, stems) = Timed(timings, RenderPhase.Synthesizing, () => Mix(Synthesize(played, request, progress, cancellationToken), request.Bus));

        progress?.Report(new RenderProgress(RenderPhase.Normalizing, 0));
        (AudioBuffer Audio, LoudnessReport Report, float[]? Gains) normalized = Timed(timings, RenderPhase.Normalizing, () => request.Normalize
            ? LoudnessNormalizer.NormalizeWithGains(mix, _options.Loudness, cancellationToken)
            : (mix, LoudnessReport.Measure(mix), null));
        mix = normalized.Audio;
        if (normalized.Gains is { } gains)
        {
            stems = stems.ToDictionary(s => s.Key, s => LoudnessNormalizer.Apply(s.Value, gains));
        }

        var loudness = normalized.Report;
        (long, long)? loopSamples = null;
        if (request.LoopLengthTicks is { } ticks)
        {
            var start = Frame(score.TempoMap.ToSeconds(ticks), mix.SampleRate);
            var length = Frame(score.TempoMap.ToSeconds(2 * ticks), mix.SampleRate) - start;
            mix = Slice(mix, start, length);
            stems = stems.ToDictionary(s => s.Key, s => Slice(s.Value, start, length));
            loudness = LoudnessReport.Measure(mix);
            loopSamples = (0, length);
        }
        else if (request.ExactSeconds is { } exact)
        {
            var frames = Frame(exact, mix.SampleRate);
            mix = Exact(mix, frames);
            stems = stems.ToDictionary(s => s.Key, s => Exact(s.Value, frames));
            loudness = LoudnessReport.Measure(mix);
        }

        progress?.Report(new RenderProgress(RenderPhase.Normalizing, 1));

        // The piano roll is drawn while ffmpeg encodes (another process, another core); it is written, and
        // its progress reported, only once the audio is there, so the phases still come in their order.
        var picture = request.PianoRollPath is null ? null : Task.Run(() => Timed(() => pianoRoll.RenderPng(score, request.Title)), cancellationToken);

        progress?.Report(new RenderProgress(RenderPhase.Encoding, 0));
        var started = time.GetTimestamp();
        var metadata = new Dictionary<string, string>(request.Metadata);
        if (loopSamples is { } loop)
        {
            metadata["LOOPSTART"] = loop.Item1.ToString(System.Globalization.CultureInfo.InvariantCulture);
            metadata["LOOPLENGTH"] = loop.Item2.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var encoded = await encoder.EncodeAsync(mix, request.OutputPath, format, maxBytes, metadata, cancellationToken).ConfigureAwait(false);
        foreach (var (group, path) in request.StemPaths)
        {
            if (stems.TryGetValue(group, out var stem))
            {
                await encoder.EncodeAsync(stem, path, AudioFormats.FromPath(path), long.MaxValue, metadata, cancellationToken).ConfigureAwait(false);
            }
        }

        timings[RenderPhase.Encoding] = time.GetElapsedTime(started);
        progress?.Report(new RenderProgress(RenderPhase.Encoding, 1));

        await DrawAsync(score, request, timings, progress, picture, cancellationToken).ConfigureAwait(false);
        LogRendered(request.OutputPath, mix.DurationSeconds, loudness.IntegratedLufs, loudness.TruePeakDbtp, encoded.Bytes);
        return new RenderResult(request.OutputPath, encoded, mix.DurationSeconds, loudness, request.Normalize, request.PianoRollPath, timings)
        {
            LoopSamples = loopSamples,
            Stems = request.StemPaths.Where(s => stems.ContainsKey(s.Key)).ToDictionary(),
        };
    }

    /// <summary>A long plain render: synthesis, loudness and encoding in blocks through a spool on disk.</summary>
    private async Task<RenderResult> RenderStreamingAsync(Score score, RenderRequest request, AudioFormat format, long maxBytes, Dictionary<RenderPhase, TimeSpan> timings, IProgress<RenderProgress>? progress, CancellationToken cancellationToken)
    {
        var streaming = new Streaming.StreamingRender(synthesizer, encoder, _options.Loudness);
        var (encoded, loudness, seconds) = await streaming.RenderAsync(score, request, format, maxBytes, request.Metadata, progress, timings, cancellationToken).ConfigureAwait(false);
        await DrawAsync(score, request, timings, progress, null, cancellationToken).ConfigureAwait(false);
        LogRendered(request.OutputPath, seconds, loudness.IntegratedLufs, loudness.TruePeakDbtp, encoded.Bytes);
        return new RenderResult(request.OutputPath, encoded, seconds, loudness, request.Normalize, request.PianoRollPath, timings);
    }

    /// <summary>Writes the piano roll: drawn already (<paramref name="drawn"/>, with its drawing time) or drawn now.</summary>
    private async Task DrawAsync(Score score, RenderRequest request, Dictionary<RenderPhase, TimeSpan> timings, IProgress<RenderProgress>? progress, Task<(byte[] Png, TimeSpan Elapsed)>? drawn, CancellationToken cancellationToken)
    {
        if (request.PianoRollPath is { } pngPath)
        {
            progress?.Report(new RenderProgress(RenderPhase.Drawing, 0));
            var (png, drawing) = drawn is null ? Timed(() => pianoRoll.RenderPng(score, request.Title)) : await drawn.ConfigureAwait(false);
            var started = time.GetTimestamp();
            await AtomicFile.WriteAsync(pngPath, (temp, ct) => File.WriteAllBytesAsync(temp, png, ct), cancellationToken).ConfigureAwait(false);
            timings[RenderPhase.Drawing] = drawing + time.GetElapsedTime(started);
            progress?.Report(new RenderProgress(RenderPhase.Drawing, 1));
        }
    }

    private (T Result, TimeSpan Elapsed) Timed<T>(Func<T> work)
    {
        var started = time.GetTimestamp();
        var result = work();
        return (result, time.GetElapsedTime(started));
    }

    /// <summary>
    /// The mix, and each stem group. With stems, every group (track name) is rendered alone, the groups in
    /// parallel, and the mix is their sum, trimmed by one plan: FluidSynth's chorus is not quite linear, so
    /// a joint render would differ from the sum of the parts by about -40 dB; this way the stems sum to the
    /// mix exactly.
    /// </summary>
    private (AudioBuffer Mix, Dictionary<string, AudioBuffer> Stems) Synthesize(Score score, RenderRequest request, IProgress<RenderProgress>? progress, CancellationToken cancellationToken)
    {
        var rate = synthesizer.SampleRate;
        if (request.StemPaths.Count == 0)
        {
            return (synthesizer.Render(score, Phase(progress, RenderPhase.Synthesizing), cancellationToken), []);
        }

        var groups = score.Tracks.Select(t => t.Name).Distinct().Where(name => score.Tracks.Any(t => t.Name == name && t.Notes.Count > 0)).ToList();
        var length = synthesizer.RenderLength(score);
        var parts = new float[groups.Count][];
        var done = 0;
        Parallel.For(0, groups.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, g =>
        {
            // Each track keeps its channel index: the other tracks are muted rather than removed.
            var alone = score with { Tracks = score.Tracks.Select(t => t.Name == groups[g] ? t : t with { Notes = ValueList.From<Note>([]) }).ToValueList() };
            (parts[g], _) = synthesizer.RenderUntrimmed(alone, length, null, cancellationToken);
            lock (parts)
            {
                progress?.Report(new RenderProgress(RenderPhase.Synthesizing, (double)++done / groups.Count));
            }
        });

        var sum = new float[parts[0].Length];
        foreach (var part in parts)
        {
            ScoreSynthesizer.AddInto(sum, part, sum.Length);
        }

        var plan = synthesizer.TailPlanFor(sum, synthesizer.MusicEndFrame(score));
        var stems = groups.Select((name, g) => (Name: name, Part: parts[g])).Where(p => request.StemPaths.ContainsKey(p.Name))
            .ToDictionary(p => p.Name, p => new AudioBuffer(plan.Apply(p.Part), rate));
        return (new AudioBuffer(plan.Apply(sum), rate), stems);
    }

    /// <summary>
    /// The style's bus over the mix and, alike, over each stem: each equalised alone (the equaliser is linear),
    /// then all given the compressor gains computed from the equalised mix, so the stems still sum to it.
    /// </summary>
    private (AudioBuffer Mix, Dictionary<string, AudioBuffer> Stems) Mix((AudioBuffer Mix, Dictionary<string, AudioBuffer> Stems) rendered, Mixing.BusSettings? bus)
    {
        if (bus is null)
        {
            return rendered;
        }

        var chain = new Mixing.BusChain(bus, synthesizer.SampleRate);
        chain.Equalize(rendered.Mix.Samples);
        foreach (var stem in rendered.Stems.Values)
        {
            new Mixing.BusChain(bus, synthesizer.SampleRate).Equalize(stem.Samples);
        }

        if (chain.Compresses)
        {
            var gains = chain.CompressorGains(rendered.Mix.Samples);
            foreach (var audio in rendered.Stems.Values.Append(rendered.Mix))
            {
                Mixing.BusChain.ApplyGains(audio.Samples, gains);
            }
        }

        return rendered;
    }

    /// <summary>
    /// A loop played twice and then the first <see cref="LoopLookAheadSeconds"/> of a third pass. The second
    /// pass is the loop: the first's releases and reverb wrap into its start, its controls are set again at
    /// its start as they were at the first's, and what follows its end is what follows it when it loops (a
    /// third whole pass would change nothing in the second but the time).
    /// </summary>
    private static Score Repeat(Score score, long length)
    {
        var lookAhead = score.TempoMap.ToTicks(LoopLookAheadSeconds);
        return score with
        {
            Tracks = score.Tracks.Select(t => t with
            {
                Notes = Track.Sort(Enumerable.Range(0, 3).SelectMany(k => t.Notes.Where(n => k < 2 || n.Start < lookAhead).Select(n => n with { Start = n.Start + (k * length) }))),

                // The controls too (a section's program, volume and sends), so the second pass starts as the first did.
                Controls = Enumerable.Range(0, 3).SelectMany(k => t.Controls.Where(c => k < 2 || c.Tick < lookAhead).Select(c => c with { Tick = c.Tick + (k * length) })).ToValueList(),
            }).ToValueList(),
        };
    }

    private static long Frame(double seconds, int rate) => (long)Math.Round(seconds * rate);

    private static AudioBuffer Slice(AudioBuffer audio, long start, long frames)
    {
        var samples = new float[frames * AudioBuffer.Channels];
        Array.Copy(audio.Samples, start * AudioBuffer.Channels, samples, 0, Math.Min(samples.Length, audio.Samples.Length - (start * AudioBuffer.Channels)));
        return audio with { Samples = samples };
    }

    /// <summary>Exactly <paramref name="frames"/> long: cut or padded with silence, the last 30 ms faded out.</summary>
    private static AudioBuffer Exact(AudioBuffer audio, long frames)
    {
        var cut = Slice(audio, 0, frames);
        var fade = Math.Min(frames, Frame(StingerFadeSeconds, audio.SampleRate));
        for (var i = 0L; i < fade; i++)
        {
            var f = frames - fade + i;
            var gain = (float)(fade - i - 1) / fade;
            cut.Samples[2 * f] *= gain;
            cut.Samples[(2 * f) + 1] *= gain;
        }

        return cut;
    }

    private T Timed<T>(Dictionary<RenderPhase, TimeSpan> timings, RenderPhase phase, Func<T> work)
    {
        var started = time.GetTimestamp();
        var result = work();
        timings[phase] = time.GetElapsedTime(started);
        return result;
    }

    private static Progress<double>? Phase(IProgress<RenderProgress>? progress, RenderPhase phase) =>
        progress is null ? null : new SynchronousProgress(f => progress.Report(new RenderProgress(phase, f)));

    /// <summary>Reports on the caller's thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<double> report) : Progress<double>, IProgress<double>
    {
        void IProgress<double>.Report(double value) => report(value);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rendered {Path}: {Seconds:0.00} s, {Lufs:0.0} LUFS, {TruePeak:0.0} dBTP, {Bytes} bytes")]
    private partial void LogRendered(string path, double seconds, double lufs, double truePeak, long bytes);
}
