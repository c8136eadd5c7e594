using ComposerBot.Jobs.Publishing;
using ComposerBot.Jobs.Storage;
using Microsoft.Extensions.Logging;

namespace ComposerBot.Jobs;

/// <summary>
/// Carries a running job's progress to the store and the publisher without holding up the composing
/// thread: Report only keeps the latest value; a loop writes it at most every <paramref name="interval"/>
/// (at once on a change of step) and records how long each step took.
/// </summary>
internal sealed class ProgressPump : IProgress<(JobPhase Phase, double Fraction)>, IAsyncDisposable
{
    private readonly JobRequest _request;
    private readonly RequestStore _store;
    private readonly IResultPublisher _publisher;
    private readonly JobMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Lock _gate = new();
    private (JobPhase Phase, double Fraction) _latest = (JobPhase.Planning, 0);
    private bool _changed;
    private JobPhase _written = JobPhase.Queued;
    private long _phaseStarted;

    public ProgressPump(JobRequest request, RequestStore store, IResultPublisher publisher, JobMetrics metrics, ILogger logger, TimeProvider time, TimeSpan interval)
    {
        (_request, _store, _publisher, _metrics, _logger, _time, _interval) = (request, store, publisher, metrics, logger, time, interval);
        _phaseStarted = time.GetTimestamp();
        _loop = Task.Run(LoopAsync);
    }

    public void Report((JobPhase Phase, double Fraction) value)
    {
        lock (_gate)
        {
            if (value.Phase < _latest.Phase)
            {
                return;
            }

            _latest = value;
            _changed = true;
        }

        _signal.Release();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        await WriteAsync(CancellationToken.None).ConfigureAwait(false);
        if (_written != JobPhase.Queued)
        {
            _metrics.Phase(RequestStore.Name(_written), _time.GetElapsedTime(_phaseStarted));
        }

        _stop.Dispose();
        _signal.Dispose();
    }

    private async Task LoopAsync()
    {
        try
        {
            while (true)
            {
                await _signal.WaitAsync(_stop.Token).ConfigureAwait(false);
                await WriteAsync(_stop.Token).ConfigureAwait(false);
                await Task.Delay(_interval, _time, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The job is over; DisposeAsync writes the last value.
        }
    }

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        (JobPhase Phase, double Fraction) value;
        lock (_gate)
        {
            if (!_changed)
            {
                return;
            }

            value = _latest;
            _changed = false;
        }

        if (value.Phase != _written)
        {
            if (_written != JobPhase.Queued)
            {
                _metrics.Phase(RequestStore.Name(_written), _time.GetElapsedTime(_phaseStarted));
            }

            _written = value.Phase;
            _phaseStarted = _time.GetTimestamp();
        }

        try
        {
            await _store.ReportAsync(_request.Id, value.Phase, value.Fraction, cancellationToken).ConfigureAwait(false);
            await _publisher.ReportProgressAsync(_request, new JobProgress(value.Phase, value.Fraction, 0), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Progress is a courtesy: a failed update must not fail the track.
            _logger.ProgressFailed(ex, _request.Id);
        }
    }

    /// <summary>The user-facing step of a compose step.</summary>
    public static JobPhase PhaseOf(Studio.ComposePhase phase) => phase switch
    {
        Studio.ComposePhase.Planning => JobPhase.Planning,
        Studio.ComposePhase.Generating => JobPhase.Generating,
        Studio.ComposePhase.Synthesizing or Studio.ComposePhase.Normalizing => JobPhase.Rendering,
        _ => JobPhase.Encoding,
    };
}
