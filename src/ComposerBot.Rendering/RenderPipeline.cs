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
    /// <summary>How much of the loop's start the bus compressor and the limiter see past its end (their look-ahead across the seam).</summary>
    private const double LoopLookAheadSeconds = 2;

    /// <summary>How much of the loop's end plays before its start through the bus and the limiter: enough for their state to settle as it is at the seam.</summary>
    private const double LoopPreRollSeconds = 4;

    /// <summary>How long a loop's releases and reverb are rendered past its end, to be wrapped into its start.</summary>
    private const double LoopTailSeconds = 4;

    private const double StingerFadeSeconds = 0.03;
    private readonly RenderingOptions _options = options.Value;

    /// <summary>The longest piece whose render gets its synthesizer prepared ahead.</summary>
    public const double ShortRenderSeconds = 10;

    /// <summary>
    /// Loads the presets' samples on a pool thread while the caller does other work (writing the melody): a
    /// cold process spends about a second decoding MuseScore General's piano, for one. A piece of up to
    /// <see cref="ShortRenderSeconds"/> (a stinger) also gets its synthesizer prepared, which otherwise takes
    /// a good part of its render. A longer piece does not: measured in alternating runs (2026-11-27),
    /// preparing synthesizers while a 60-second melody was written slowed the writing by about as much as it
    /// saved (both SoundFonts), and synthesizers waiting raised a `serve`'s peak memory (about 15 MB each).
    /// </summary>
    public Task PreloadAsync(IEnumerable<PresetRef> presets, double? expectedSeconds, CancellationToken cancellationToken) =>
        Task.Run(() => synthesizer.Preload(presets, expectedSeconds <= ShortRenderSeconds ? 1 : 0, cancellationToken), cancellationToken);

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

        // The piano roll is drawn on a pool thread while the audio is synthesized on this one (and encoded); it
        // is written, and its progress reported, only once the audio is there, so the phases still come in order.
        var picture = request.PianoRollPath is null ? null : Task.Run(() => Timed(() => pianoRoll.RenderPng(score, request.Title)), cancellationToken);
        try
        {
            return await RenderBufferedAsync(score, request, format, maxBytes, timings, picture, progress, cancellationToken).ConfigureAwait(false);
        }
        catch when (picture is not null)
        {
            // The render's failure is the one to report; the drawing is not left running behind it.
            await Task.WhenAny(picture).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A render held in memory: synthesis (stems, loops), the bus, loudness, encoding, then the drawn piano roll written.</summary>
    private async Task<RenderResult> RenderBufferedAsync(Score score, RenderRequest request, AudioFormat format, long maxBytes, Dictionary<RenderPhase, TimeSpan> timings, Task<(byte[] Png, TimeSpan Elapsed)>? picture, IProgress<RenderProgress>? progress, CancellationToken cancellationToken)
    {
        // A loop is rendered once with its tail, which is wrapped into its start (what a second pass would
        // hear); the bus and the normaliser then run over it played circularly, from a little before its start
        // to a little past its end, so that their state at the seam is the same on both sides.
        var loop = request.LoopLengthTicks is { } loopTicks ? new LoopFrames(Frame(score.TempoMap.ToSeconds(loopTicks), synthesizer.SampleRate), synthesizer.SampleRate) : null;
        (long Start, long Length)? loopSamples = loop is null ? null : (0, loop.Length);
        var metadata = new Dictionary<string, string>(request.Metadata);
        if (loopSamples is { } samples)
        {
            metadata["LOOPSTART"] = samples.Start.ToString(System.Globalization.CultureInfo.InvariantCulture);
            metadata["LOOPLENGTH"] = samples.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        // ffmpeg (for formats it encodes) starts now and waits for the audio, so its start-up overlaps the
        // synthesis: started for the longest the audio can be (a plain render keeps at most KeptTailFrames
        // after the music). An MP3 is encoded in this process: nothing to start.
        var expectedSeconds = loop is not null ? (double)loop.Length / synthesizer.SampleRate
            : request.ExactSeconds is { } exactLength ? (double)Frame(exactLength, synthesizer.SampleRate) / synthesizer.SampleRate
            : (double)(synthesizer.MusicEndFrame(score) + synthesizer.KeptTailFrames) / synthesizer.SampleRate;
        await using var prepared = encoder.Prepare(expectedSeconds, synthesizer.SampleRate, request.OutputPath, format, maxBytes, metadata);
        var played = request.LoopLengthTicks is { } ticks ? WithNextPassControls(score, ticks) : score;
        var (mix, stems) = Timed(timings, RenderPhase.Synthesizing, () =>
        {
            var rendered = Synthesize(played, request, loop, progress, cancellationToken);
            return Mix(loop is null ? rendered : (loop.Circular(rendered.Mix), rendered.Stems.ToDictionary(s => s.Key, s => loop.Circular(s.Value))), request.Bus);
        });

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
        if (loop is not null)
        {
            mix = Slice(mix, loop.PreRoll, loop.Length);
            stems = stems.ToDictionary(s => s.Key, s => Slice(s.Value, loop.PreRoll, loop.Length));
            loudness = LoudnessReport.Measure(mix);
        }
        else if (request.ExactSeconds is { } exact)
        {
            var frames = Frame(exact, mix.SampleRate);
            mix = Exact(mix, frames);
            stems = stems.ToDictionary(s => s.Key, s => Exact(s.Value, frames));
            loudness = LoudnessReport.Measure(mix);
        }

        progress?.Report(new RenderProgress(RenderPhase.Normalizing, 1));

        progress?.Report(new RenderProgress(RenderPhase.Encoding, 0));
        var started = time.GetTimestamp();
        var encoded = await encoder.EncodeAsync(mix, request.OutputPath, format, maxBytes, metadata, prepared, cancellationToken).ConfigureAwait(false);
        foreach (var (group, path) in request.StemPaths)
        {
            if (stems.TryGetValue(group, out var stem))
            {
                await encoder.EncodeAsync(stem, path, AudioFormats.FromPath(path), long.MaxValue, metadata, cancellationToken: cancellationToken).ConfigureAwait(false);
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
    /// mix exactly. A loop is rendered with <see cref="LoopTailSeconds"/> past its end, wrapped into its start.
    /// </summary>
    private (AudioBuffer Mix, Dictionary<string, AudioBuffer> Stems) Synthesize(Score score, RenderRequest request, LoopFrames? loop, IProgress<RenderProgress>? progress, CancellationToken cancellationToken)
    {
        var rate = synthesizer.SampleRate;
        var loopLength = loop is null ? (long?)null : loop.Length + Frame(LoopTailSeconds, rate);
        if (request.StemPaths.Count == 0)
        {
            return loop is null
                ? (synthesizer.Render(score, Phase(progress, RenderPhase.Synthesizing), cancellationToken), [])
                : (loop.Wrap(synthesizer.RenderUntrimmed(score, loopLength, Phase(progress, RenderPhase.Synthesizing), cancellationToken).Samples), []);
        }

        var groups = score.Tracks.Select(t => t.Name).Distinct().Where(name => score.Tracks.Any(t => t.Name == name && t.Notes.Count > 0)).ToList();
        var length = loopLength ?? synthesizer.RenderLength(score);
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

        Func<float[], AudioBuffer> finish = loop is not null ? loop.Wrap : Trim(synthesizer.TailPlanFor(sum, synthesizer.MusicEndFrame(score)));
        var stems = groups.Select((name, g) => (Name: name, Part: parts[g])).Where(p => request.StemPaths.ContainsKey(p.Name))
            .ToDictionary(p => p.Name, p => finish(p.Part));
        return (finish(sum), stems);
    }

    private Func<float[], AudioBuffer> Trim(Synthesis.TailPlan plan) => part => new AudioBuffer(plan.Apply(part), synthesizer.SampleRate);

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
            // The gains live only until they are applied: a pooled buffer, not another large object a track.
            using var gains = ScratchBuffers.Rent(rendered.Mix.Frames);
            chain.CompressorGains(rendered.Mix.Samples, gains.Array);
            foreach (var audio in rendered.Stems.Values.Append(rendered.Mix))
            {
                Mixing.BusChain.ApplyGains(audio.Samples, gains.Span);
            }
        }

        return rendered;
    }

    /// <summary>
    /// The loop's score with its controls set again at its end as they are at its start (a section's program,
    /// volume and sends): the releases and reverb rendered past the end, which wrap into its start, sound as
    /// they do when the loop plays on.
    /// </summary>
    private static Score WithNextPassControls(Score score, long length) => score with
    {
        Tracks = score.Tracks.Select(t => t with
        {
            Controls = t.Controls.Concat(t.Controls.Select(c => c with { Tick = c.Tick + length })).ToValueList(),
        }).ToValueList(),
    };

    /// <summary>A loop's length in frames, and how it is rendered and processed as one pass of an endless repetition.</summary>
    private sealed record LoopFrames(long Length, int SampleRate)
    {
        public long PreRoll => Math.Min(Length, Frame(LoopPreRollSeconds, SampleRate));

        private long LookAhead => Math.Min(Length, Frame(LoopLookAheadSeconds, SampleRate));

        /// <summary>A render of one pass and its tail, as the pass sounds in the middle of the repetition: the tail added into its start.</summary>
        public AudioBuffer Wrap(float[] rendered)
        {
            var width = Length * AudioBuffer.Channels;
            var samples = new float[width];
            for (long offset = 0; offset < rendered.Length; offset += width)
            {
                var count = Math.Min(width, rendered.Length - offset);
                for (long i = 0; i < count; i++)
                {
                    samples[i] += rendered[offset + i];
                }
            }

            return new AudioBuffer(samples, SampleRate);
        }

        /// <summary>The pass played circularly: its last <see cref="PreRoll"/> frames, the pass, and its first <see cref="LookAhead"/> frames.</summary>
        public AudioBuffer Circular(AudioBuffer pass)
        {
            var frames = PreRoll + Length + LookAhead;
            var samples = new float[frames * AudioBuffer.Channels];
            for (long f = 0; f < frames; f++)
            {
                var source = (f - PreRoll + Length) % Length;
                samples[2 * f] = pass.Samples[2 * source];
                samples[(2 * f) + 1] = pass.Samples[(2 * source) + 1];
            }

            return pass with { Samples = samples };
        }
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
