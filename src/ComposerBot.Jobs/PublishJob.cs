using ComposerBot.Jobs.Publishing;
using ComposerBot.Jobs.Storage;
using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ComposerBot.Jobs;

/// <summary>
/// Hands an ended request's outcome to its channel, exactly once: the published marker in the store is
/// checked and claimed first, set after. A publisher that fails lets go of the claim, and Hangfire retries
/// the job with its backoff.
/// </summary>
[AutomaticRetry(Attempts = 5)]
public sealed class PublishJob(RequestStore store, ArtifactStore artifacts, PublisherSet publishers, IOptions<JobsOptions> options, ILogger<PublishJob> logger)
{
    [Queue(JobQueues.Publish)]
    public async Task RunAsync(string requestId, CancellationToken cancellationToken)
    {
        var request = await store.GetAsync(requestId, cancellationToken).ConfigureAwait(false);
        if (request is not { IsFinished: true, PublishedUtc: null })
        {
            return;
        }

        if (!await store.TryClaimPublishAsync(requestId, options.Value.PublishClaimTimeout, cancellationToken).ConfigureAwait(false))
        {
            logger.AlreadyPublished(requestId);
            return;
        }

        try
        {
            var publisher = publishers.For(request.Origin.Channel);
            try
            {
                await publisher.ReportProgressAsync(request, new JobProgress(JobPhase.Posting, 0, 0), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // "Posting..." is a courtesy: a message deleted or a webhook gone must not stop the track
                // itself, which the publisher can still deliver another way (the channel).
                logger.ProgressFailed(ex, requestId);
            }

            await publisher.PublishAsync(request, JobOutcome.Of(request, artifacts), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await store.ReleasePublishClaimAsync(requestId, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        await store.MarkPublishedAsync(requestId, CancellationToken.None).ConfigureAwait(false);
        logger.Published(requestId, request.State, request.Origin.Channel);
    }
}
