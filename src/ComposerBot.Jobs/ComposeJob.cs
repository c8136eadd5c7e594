using ComposerBot.Composition.Requests;
using ComposerBot.Jobs.Publishing;
using ComposerBot.Music.LeadSheets;
using ComposerBot.Music.Midi;
using ComposerBot.Jobs.Storage;
using ComposerBot.Rendering;
using ComposerBot.Rendering.Encoding;
using ComposerBot.Studio;
using ComposerBot.Studio.Kits;
using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ComposerBot.Jobs;

/// <summary>
/// The background job that makes one requested track. Idempotent by request id: a run after a crash (or a
/// second delivery of the same job) starts over from the stored request and writes the same files; a
/// request that has already ended only gets its publish job queued again, which publishes once. Hangfire's
/// own retries are off: passing failures are retried here, with a doubling delay, up to
/// <see cref="JobsOptions.MaxAttempts"/>; a bad request fails at once with a message for the user.
/// </summary>
[AutomaticRetry(Attempts = 0)]
public sealed class ComposeJob(
    RequestStore store,
    ArtifactStore artifacts,
    TrackComposer composer,
    KitComposer kits,
    PublisherSet publishers,
    JobScheduler scheduler,
    JobMetrics metrics,
    WorkerIdentity worker,
    IOptions<JobsOptions> options,
    TimeProvider time,
    ILogger<ComposeJob> logger)
{
    [Queue(JobQueues.Compose)]
    public async Task RunAsync(string requestId, CancellationToken cancellationToken)
    {
        var request = await store.BeginAttemptAsync(requestId, worker.Name, cancellationToken).ConfigureAwait(false);
        if (request is null)
        {
            var ended = await store.GetAsync(requestId, cancellationToken).ConfigureAwait(false);
            if (ended is { PublishedUtc: null, IsFinished: true })
            {
                scheduler.EnqueuePublish(requestId);
            }

            return;
        }

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["RequestId"] = requestId, ["Attempt"] = request.Attempts });
        logger.Composing(requestId, request.Origin.Channel, request.Origin.UserId, request.Attempts);
        metrics.Started(time.GetUtcNow() - request.CreatedUtc);
        try
        {
            if (!await ComposeAsync(request, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
        finally
        {
            metrics.Stopped();

            // A render leaves large arrays behind (the audio and its working copies, tens of MB each), and the
            // GC keeps the memory they took committed for reuse: a worker would hold it between jobs, on top of
            // the SoundFont samples it keeps decoded. An aggressive collection between jobs hands it back, and a
            // trim of the native heap what the render's synthesizers freed there (their SoundFont tables).
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            NativeHeap.Trim();
        }

        scheduler.EnqueuePublish(requestId);
    }

    /// <summary>True when the request has ended (and so is to be published), false when it went back to the queue.</summary>
    private async Task<bool> ComposeAsync(JobRequest request, CancellationToken cancellationToken)
    {
        var publisher = publishers.For(request.Origin.Channel);
        try
        {
            string receiptId;
            Dictionary<string, string> files;
            double seconds;
            await using (var pump = new ProgressPump(request, store, publisher, metrics, logger, time, TimeSpan.FromMilliseconds(250)))
            {
                var parsed = request.Order.Track.Read();
                var format = AudioFormats.FromPath("x." + request.Order.Format);
                var directory = artifacts.DirectoryFor(request.Id);
                var name = TrackComposer.FileName(parsed.Prompt, parsed.Request.Style, parsed.Request.Seed);
                if (request.Order.Kit)
                {
                    var kit = await kits.ComposeAsync(new KitOrder(parsed.Request, parsed, directory, name + "-kit", format), new KitPhaseProgress(pump), cancellationToken).ConfigureAwait(false);
                    (receiptId, files, seconds) = (kit.Receipt.KitId, KitFiles(kit), kit.Receipt.Pieces.Sum(p => p.DurationS));
                }
                else
                {
                    var order = new ComposeOrder(parsed.Request, parsed, directory, name, format)
                    {
                        MaxBytes = request.Order.MaxBytes,
                        Opening = request.Order.Opening is { } opening ? await OpeningAsync(opening, cancellationToken).ConfigureAwait(false) : null,
                    };
                    var result = await composer.ComposeAsync(order, new PhaseProgress(pump), cancellationToken).ConfigureAwait(false);
                    (receiptId, files, seconds) = (result.Receipt.ReceiptId, new Dictionary<string, string>(result.Receipt.Files) { ["receipt"] = Path.GetFileName(result.ReceiptPath) }, result.Receipt.DurationS);
                }
            }

            if (await store.CompleteAsync(request.Id, receiptId, files, CancellationToken.None).ConfigureAwait(false))
            {
                metrics.Finished(JobState.Succeeded);
                logger.Composed(request.Id, receiptId, seconds);
            }

            return true;
        }
        catch (Exception ex) when (IsBadRequest(ex))
        {
            await store.FailAsync(request.Id, ex.Message, CancellationToken.None).ConfigureAwait(false);
            metrics.Finished(JobState.Failed);
            logger.BadRequest(request.Id, ex.Message);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var now = await store.GetAsync(request.Id, CancellationToken.None).ConfigureAwait(false);
            if (now?.State == JobState.Cancelled)
            {
                metrics.Finished(JobState.Cancelled);
                logger.StoppedCancelled(request.Id);
                return true;
            }

            // The worker is stopping: the request goes back to the queue and Hangfire hands the job to another worker.
            await store.RequeueAsync(request.Id, null, CancellationToken.None).ConfigureAwait(false);
            logger.Requeued(request.Id);
            throw;
        }
        catch (Exception ex)
        {
            if (request.Attempts >= options.Value.MaxAttempts)
            {
                await store.FailAsync(request.Id, "Something went wrong while making this track, and it kept going wrong; please try again later.", CancellationToken.None).ConfigureAwait(false);
                metrics.Finished(JobState.Failed);
                logger.GaveUp(ex, request.Id, request.Attempts);
                return true;
            }

            var delay = options.Value.RetryDelay * Math.Pow(2, request.Attempts - 1);
            await store.RequeueAsync(request.Id, ex.Message, CancellationToken.None).ConfigureAwait(false);
            if (await TryScheduleRetryAsync(request.Id, delay).ConfigureAwait(false) is { } scheduling)
            {
                // No retry could be queued (Hangfire's own retries are off): rather than a request that waits
                // forever, the user is told now.
                await store.FailAsync(request.Id, "Something went wrong while making this track, and no retry could be queued; please try again.", CancellationToken.None).ConfigureAwait(false);
                metrics.Finished(JobState.Failed);
                logger.RetryNotQueued(scheduling, request.Id);
                return true;
            }

            metrics.Retried();
            logger.Retrying(ex, request.Attempts, request.Id, delay);
            return false;
        }
    }

    /// <summary>
    /// Queues the retry, trying the storage three times a second apart (a loaded database can refuse one
    /// write); null when it was queued, else the last error.
    /// </summary>
    private async Task<Exception?> TryScheduleRetryAsync(string requestId, TimeSpan delay)
    {
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), time).ConfigureAwait(false);
            }

            try
            {
                scheduler.ScheduleCompose(requestId, delay);
                return null;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                last = ex;
            }
        }

        return last;
    }

    /// <summary>The opening's lead sheet: an earlier request's, written again, or a MIDI file's melody.</summary>
    private async Task<LeadSheet> OpeningAsync(JobOpening opening, CancellationToken cancellationToken)
    {
        LeadSheet sheet;
        if (opening.RequestId is { } parentId)
        {
            var parent = await store.GetAsync(parentId, cancellationToken).ConfigureAwait(false)
                ?? throw new CompositionException($"the track {parentId} to continue is gone.");
            var read = parent.Order.Track.Read();
            sheet = composer.Sketch(new ComposeOrder(read.Request, read, artifacts.DirectoryFor(parentId), "sketch", AudioFormat.Mp3), cancellationToken);
        }
        else
        {
            var score = MidiFileReader.Read(opening.MidiPath ?? throw new CompositionException("an opening names no melody."), OpeningLimits);
            sheet = LeadSheetExtractor.Extract(score) ?? throw new CompositionException("the MIDI file has no melody to continue.");
        }

        return opening.Bars is { } bars && bars < sheet.Bars ? sheet.FirstBars(bars) : sheet;
    }

    /// <summary>Users' MIDI files are read with tight limits.</summary>
    public static readonly MidiReadLimits OpeningLimits = new() { MaxNotes = 20_000, MaxBytes = 1024 * 1024 };

    /// <summary>A request that no retry can make: it asks for something that cannot be made.</summary>
    private static bool IsBadRequest(Exception ex) => ex is CompositionException or RenderException or ModelException or MidiFormatException;

    /// <summary>
    /// A kit's files by kind: "zip", "receipt" (kit.json), "readme"; the starting-soon loop's audio, MIDI and
    /// piano roll as "audio", "midi" and "piano_roll" (the preview); and every piece's as "PIECE_KIND".
    /// </summary>
    public static Dictionary<string, string> KitFiles(KitResult kit)
    {
        var files = new Dictionary<string, string>
        {
            ["zip"] = Path.GetFileName(kit.ZipPath),
            ["receipt"] = Path.GetFileName(kit.ReceiptPath),
            ["readme"] = Path.GetFileName(kit.ReadmePath),
        };
        foreach (var kind in new[] { "audio", "midi", "piano_roll" })
        {
            files[kind] = kit.Receipt.Pieces[0].Files[kind];
        }

        foreach (var piece in kit.Receipt.Pieces)
        {
            foreach (var (kind, name) in piece.Files)
            {
                files[$"{piece.Name}_{kind}"] = name;
            }
        }

        return files;
    }

    /// <summary>A kit's progress as one composing step that runs from 0 to 1 over all its pieces.</summary>
    private sealed class KitPhaseProgress(ProgressPump pump) : IProgress<KitProgress>
    {
        public void Report(KitProgress value) => pump.Report((JobPhase.Generating, value.Fraction));
    }

    private sealed class PhaseProgress(ProgressPump pump) : IProgress<ComposeProgress>
    {
        public void Report(ComposeProgress value) => pump.Report((ProgressPump.PhaseOf(value.Phase), value.Fraction));
    }
}
