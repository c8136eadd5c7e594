using System.Diagnostics.Metrics;

namespace ComposerBot.Jobs;

/// <summary>
/// The queue's instruments on the "ComposerBot.Jobs" meter, ready for an OpenTelemetry exporter: jobs
/// queued, running, finished by outcome (failed among them), retried, the wait in the queue and how long
/// each step took.
/// </summary>
public sealed class JobMetrics
{
    public const string MeterName = "ComposerBot.Jobs";

    private readonly Counter<long> _queued;
    private readonly UpDownCounter<long> _running;
    private readonly Counter<long> _finished;
    private readonly Counter<long> _retried;
    private readonly Histogram<double> _wait;
    private readonly Histogram<double> _phase;

    public JobMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _queued = meter.CreateCounter<long>("composerbot.jobs.queued", "{job}", "Requests admitted to the queue.");
        _running = meter.CreateUpDownCounter<long>("composerbot.jobs.running", "{job}", "Compose jobs running in this process.");
        _finished = meter.CreateCounter<long>("composerbot.jobs.finished", "{job}", "Requests ended, by outcome (succeeded, failed, cancelled).");
        _retried = meter.CreateCounter<long>("composerbot.jobs.retried", "{job}", "Compose attempts that failed for a passing reason and were retried.");
        _wait = meter.CreateHistogram<double>("composerbot.jobs.queue_wait", "s", "From admission to a worker starting the request.");
        _phase = meter.CreateHistogram<double>("composerbot.jobs.phase.duration", "s", "How long each step of a compose job took.");
    }

    public void Queued() => _queued.Add(1);

    public void Started(TimeSpan waited)
    {
        _running.Add(1);
        _wait.Record(waited.TotalSeconds);
    }

    public void Stopped() => _running.Add(-1);

    public void Finished(JobState outcome) => _finished.Add(1, new KeyValuePair<string, object?>("outcome", outcome.ToString().ToLowerInvariant()));

    public void Retried() => _retried.Add(1);

    public void Phase(string phase, TimeSpan took) => _phase.Record(took.TotalSeconds, new KeyValuePair<string, object?>("phase", phase));
}
