using System.Security.Cryptography;
using ComposerBot.Composition.Requests;
using ComposerBot.Jobs.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ComposerBot.Jobs;

/// <summary>
/// What the bot, the web and the CLI do with the queue: submit a request (checked first, then held to the
/// limits), see where it is, cancel it.
/// </summary>
public sealed class JobClient(RequestStore store, JobScheduler scheduler, QueueMonitor monitor, JobMetrics metrics, IOptions<JobsOptions> options, TimeProvider time, ILogger<JobClient> logger)
{
    /// <summary>Before anything is typical, a guess at how long one track takes.</summary>
    public static readonly TimeSpan DefaultJobDuration = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Checks the order (a bad one throws <see cref="CompositionException"/> before anything is stored),
    /// applies the limits and, when admitted, queues it.
    /// </summary>
    public async Task<Admission> SubmitAsync(JobOrder order, JobOrigin origin, CancellationToken cancellationToken)
    {
        var (request, admission) = await AdmitAsync(order, origin, cancellationToken).ConfigureAwait(false);
        if (!admission.Accepted)
        {
            logger.Refused(origin.Channel, origin.UserId, admission.Reason);
            return admission;
        }

        string jobId;
        try
        {
            jobId = scheduler.EnqueueCompose(request.Id);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Stored but with no job to run it, the request would wait for ever and hold the user's place
            // under the limits: it fails, and the caller reports the error.
            await store.FailAsync(request.Id, "The queue could not take this request; please try again.", CancellationToken.None).ConfigureAwait(false);
            logger.NotQueued(ex, request.Id);
            throw;
        }

        await store.SetBackgroundJobAsync(request.Id, jobId, cancellationToken).ConfigureAwait(false);
        metrics.Queued();
        logger.Queued(request.Id, origin.Channel, origin.UserId, jobId);
        return admission with { RequestId = request.Id, Position = await store.PositionAsync(request.Id, cancellationToken).ConfigureAwait(false) };
    }

    private async Task<(JobRequest Request, Admission Admission)> AdmitAsync(JobOrder order, JobOrigin origin, CancellationToken cancellationToken)
    {
        order.Track.Read().Request.Resolve();
        Rendering.Encoding.AudioFormats.FromPath("x." + order.Format);

        var (typical, workers) = await PaceAsync(cancellationToken).ConfigureAwait(false);
        var request = new JobRequest(NewId(), order, origin, time.GetUtcNow());
        var limits = options.Value.Limits;
        if (origin.GuildId is { } guild && await store.GetGuildSettingsAsync(guild, cancellationToken).ConfigureAwait(false) is var settings)
        {
            limits = new QuotaOptions
            {
                PerUserConcurrent = limits.PerUserConcurrent,
                PerUserPerHour = settings.PerUserPerHour ?? limits.PerUserPerHour,
                PerGuildQueued = settings.GuildQueued ?? limits.PerGuildQueued,
                GlobalQueued = limits.GlobalQueued,
            };
        }

        if (origin.SelfPaced)
        {
            limits = new QuotaOptions { PerUserConcurrent = int.MaxValue, PerUserPerHour = int.MaxValue, PerGuildQueued = int.MaxValue, GlobalQueued = limits.GlobalQueued };
        }

        var admission = await store.AdmitAsync(request, counts => QuotaPolicy.Decide(counts, limits, typical, workers, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        return (request, admission);
    }

    public Task<JobRequest?> GetAsync(string requestId, CancellationToken cancellationToken) => store.GetAsync(requestId, cancellationToken);

    /// <summary>A request as the CLI and the web show it, with its place in the queue and a time estimate.</summary>
    public async Task<JobView?> ViewAsync(string requestId, CancellationToken cancellationToken)
    {
        var request = await store.GetAsync(requestId, cancellationToken).ConfigureAwait(false);
        return request is null ? null : await ViewAsync(request, await PaceAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A user's recent requests, newest first.</summary>
    public async Task<IReadOnlyList<JobView>> ForUserAsync(string userId, CancellationToken cancellationToken)
    {
        var views = new List<JobView>();
        var pace = await PaceAsync(cancellationToken).ConfigureAwait(false);
        foreach (var request in await store.ForUserAsync(userId, 10, cancellationToken).ConfigureAwait(false))
        {
            views.Add(await ViewAsync(request, pace, cancellationToken).ConfigureAwait(false));
        }

        return views;
    }

    /// <summary>
    /// Cancels a queued or running request of this user: false when there is none (or it has ended). A
    /// running job sees its token fire and stops; the user is told once, by the publish job.
    /// </summary>
    public async Task<bool> CancelAsync(string requestId, string userId, CancellationToken cancellationToken)
    {
        var request = await store.GetAsync(requestId, cancellationToken).ConfigureAwait(false);
        if (request is null || request.Origin.UserId != userId || !await store.CancelAsync(requestId, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        if (request.BackgroundJobId is { } jobId)
        {
            scheduler.Delete(jobId);
        }

        scheduler.EnqueuePublish(requestId);
        logger.Cancelled(requestId, userId);
        return true;
    }

    private async Task<JobView> ViewAsync(JobRequest request, (TimeSpan Typical, int Workers) pace, CancellationToken cancellationToken)
    {
        var position = request.State == JobState.Queued ? await store.PositionAsync(request.Id, cancellationToken).ConfigureAwait(false) : 0;
        return JobView.Of(request, position, Estimate(request, position, pace.Typical, pace.Workers));
    }

    /// <summary>How long a track takes (the median of the recent ones) and how many workers are live: read once per answer.</summary>
    private async Task<(TimeSpan Typical, int Workers)> PaceAsync(CancellationToken cancellationToken) =>
        (await store.TypicalDurationAsync(cancellationToken).ConfigureAwait(false) ?? DefaultJobDuration,
         Math.Max(1, (await monitor.WorkersAsync(cancellationToken).ConfigureAwait(false)).Sum(w => w.Workers)));

    /// <summary>Time until the request is likely done: the work ahead shared by the live workers, plus its own.</summary>
    private static TimeSpan? Estimate(JobRequest request, int position, TimeSpan typical, int workers) => request.State switch
    {
        _ when request.IsFinished => null,
        JobState.Running => typical * (1 - request.Fraction),
        _ => QuotaPolicy.Wait(position - 1, typical, workers) + typical,
    };

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}

/// <summary>A request as shown to its user.</summary>
public sealed record JobView(
    string Id,
    string State,
    string Phase,
    double Fraction,
    int Position,
    double? EtaSeconds,
    string? Error,
    string? ReceiptId,
    IReadOnlyList<string> Files,
    string Prompt,
    string Channel,
    string? ParentId,
    DateTimeOffset CreatedUtc,
    DateTimeOffset? FinishedUtc)
{
    public static JobView Of(JobRequest r, int position, TimeSpan? eta) => new(
        r.Id,
        RequestStore.Name(r.State),
        RequestStore.Name(r.Phase),
        Math.Round(r.Fraction, 3),
        position,
        eta is { } e ? Math.Round(e.TotalSeconds, 1) : null,
        r.Error,
        r.ReceiptId,
        [.. r.Files.Keys.Order(StringComparer.Ordinal)],
        r.Order.Track.Prompt,
        r.Origin.Channel,
        r.Origin.ParentId,
        r.CreatedUtc,
        r.FinishedUtc);
}
