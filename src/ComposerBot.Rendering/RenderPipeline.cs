using ComposerBot.Music;
using ComposerBot.Rendering.Encoding;
using ComposerBot.Rendering.Imaging;
using ComposerBot.Rendering.Loudness;
using ComposerBot.Rendering.Synthesis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ComposerBot.Rendering;

/// <summary>
/// Score to finished files: synthesize, normalise loudness, encode to fit the byte limit, draw the piano
/// roll. Every output is checked for writability before the work starts and written atomically.
/// </summary>
public sealed partial class RenderPipeline(
    ScoreSynthesizer synthesizer,
    FfmpegEncoder encoder,
    PianoRollRenderer pianoRoll,
    IOptions<RenderingOptions> options,
    TimeProvider time,
    ILogger<RenderPipeline> logger)
{
    private readonly RenderingOptions _options = options.Value;

    public async Task<RenderResult> RenderAsync(Score score, RenderRequest request, IProgress<RenderProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var format = AudioFormats.FromPath(request.OutputPath);
        AtomicFile.EnsureWritable(request.OutputPath);
        if (request.PianoRollPath is { } png)
        {
            AtomicFile.EnsureWritable(png);
        }

        var timings = new Dictionary<RenderPhase, TimeSpan>();
        var audio = Timed(timings, RenderPhase.Synthesizing, () => synthesizer.Render(score, Phase(progress, RenderPhase.Synthesizing), cancellationToken));

        progress?.Report(new RenderProgress(RenderPhase.Normalizing, 0));
        LoudnessReport loudness;
        (audio, loudness) = Timed(timings, RenderPhase.Normalizing, () => request.Normalize
            ? LoudnessNormalizer.Normalize(audio, _options.Loudness, cancellationToken)
            : (audio, LoudnessReport.Measure(audio)));
        progress?.Report(new RenderProgress(RenderPhase.Normalizing, 1));

        progress?.Report(new RenderProgress(RenderPhase.Encoding, 0));
        var started = time.GetTimestamp();
        var encoded = await encoder.EncodeAsync(audio, request.OutputPath, format, request.MaxBytes ?? _options.MaxBytes, request.Metadata, cancellationToken).ConfigureAwait(false);
        timings[RenderPhase.Encoding] = time.GetElapsedTime(started);
        progress?.Report(new RenderProgress(RenderPhase.Encoding, 1));

        if (request.PianoRollPath is { } pngPath)
        {
            progress?.Report(new RenderProgress(RenderPhase.Drawing, 0));
            started = time.GetTimestamp();
            await pianoRoll.WritePngAsync(score, request.Title, pngPath, cancellationToken).ConfigureAwait(false);
            timings[RenderPhase.Drawing] = time.GetElapsedTime(started);
            progress?.Report(new RenderProgress(RenderPhase.Drawing, 1));
        }

        LogRendered(request.OutputPath, audio.DurationSeconds, loudness.IntegratedLufs, loudness.TruePeakDbtp, encoded.Bytes);
        return new RenderResult(request.OutputPath, encoded, audio.DurationSeconds, loudness, request.Normalize, request.PianoRollPath, timings);
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
