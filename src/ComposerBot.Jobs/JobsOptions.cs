namespace ComposerBot.Jobs;

/// <summary>The job queue and its workers (configuration "Jobs"; the storage is ConnectionStrings:Jobs).</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>The SQLite files and, unless <see cref="ArtifactsDirectory"/> says otherwise, the artifacts. Default: data/ in COMPOSERBOT_HOME.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Where each request's files go, one folder per request id. Shared by every worker.</summary>
    public string? ArtifactsDirectory { get; set; }

    /// <summary>How many jobs this process runs at once.</summary>
    public int Workers { get; set; } = 1;

    /// <summary>The queues this process's workers take jobs from, comma-separated: compose, publish.</summary>
    public string Queues { get; set; } = $"{JobQueues.Compose},{JobQueues.Publish}";

    /// <summary>How often an idle worker looks for a job (SQLite; PostgreSQL is told at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a job taken by a worker that died stays invisible before another worker takes it.</summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Tries for a job that fails for a passing reason (a crash of the worker counts as one).</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The wait before the first retry; each later one waits twice as long.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a stopping worker lets running jobs finish before handing them back to the queue.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a publisher may hold a result before another may try again.</summary>
    public TimeSpan PublishClaimTimeout { get; set; } = TimeSpan.FromMinutes(2);

    public QuotaOptions Limits { get; set; } = new();

    public IReadOnlyList<string> QueueList => [.. Queues.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}

/// <summary>How much one user, one guild and everybody may ask for.</summary>
public sealed class QuotaOptions
{
    /// <summary>Requests of one user queued or running at once.</summary>
    public int PerUserConcurrent { get; set; } = 2;

    /// <summary>Requests one user may make in any hour.</summary>
    public int PerUserPerHour { get; set; } = 20;

    /// <summary>Requests of one guild (Discord server) queued or running at once.</summary>
    public int PerGuildQueued { get; set; } = 10;

    /// <summary>Requests queued in all.</summary>
    public int GlobalQueued { get; set; } = 100;
}

/// <summary>The two queues: composing (CPU or GPU work) and publishing (network).</summary>
public static class JobQueues
{
    public const string Compose = "compose";
    public const string Publish = "publish";
}
