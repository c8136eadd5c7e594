using System.Data.Common;
using ComposerBot.Generation.Neural;
using ComposerBot.Jobs.Publishing;
using ComposerBot.Jobs.Storage;
using ComposerBot.Studio;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ComposerBot.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// The queue as a client sees it: the storage (PostgreSQL when ConnectionStrings:Jobs is set, else
    /// SQLite files in the data directory), the request and artifact stores, <see cref="JobClient"/>,
    /// <see cref="QueueMonitor"/> and the metrics. No Hangfire static state is touched: the storage and
    /// the client are this container's own.
    /// </summary>
    public static IServiceCollection AddComposerJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddOptions<JobsOptions>().Bind(configuration.GetSection(JobsOptions.Section))
            .Validate(o => o.Workers is >= 1 and <= 64, "Jobs:Workers must be 1-64.")
            .Validate(o => o.QueueList.Count > 0 && o.QueueList.All(q => q is JobQueues.Compose or JobQueues.Publish), "Jobs:Queues must list compose and/or publish.")
            .Validate(o => o.PollInterval > TimeSpan.Zero, "Jobs:PollInterval must be positive.")
            .Validate(o => o.InvisibilityTimeout >= TimeSpan.FromSeconds(1), "Jobs:InvisibilityTimeout must be at least 1 s.")
            .Validate(o => o.MaxAttempts is >= 1 and <= 20, "Jobs:MaxAttempts must be 1-20.")
            .Validate(o => o.Limits.PerUserConcurrent >= 1 && o.Limits.PerUserPerHour >= 1 && o.Limits.PerGuildQueued >= 1 && o.Limits.GlobalQueued >= 1, "Jobs:Limits must all be at least 1.")
            .ValidateOnStart();
        services.AddSingleton(sp => JobStore.Open(configuration, sp.GetRequiredService<IOptions<JobsOptions>>().Value));
        services.AddSingleton(sp => sp.GetRequiredService<JobStore>().Storage);
        services.AddSingleton(sp => new RequestStore(sp.GetRequiredService<JobStore>().DataSource, sp.GetRequiredService<JobStore>().Dialect, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new ArtifactStore(sp.GetRequiredService<JobStore>().ArtifactsDirectory));
        services.AddSingleton(sp => new StoredReceipts(sp.GetRequiredService<RequestStore>(), sp.GetRequiredService<ArtifactStore>(), new Rendering.Fingerprints.AudioProbe()));
        services.AddSingleton<IBackgroundJobClient>(sp => new BackgroundJobClient(sp.GetRequiredService<JobStorage>()));
        services.AddSingleton<JobScheduler>();
        services.AddSingleton<JobMetrics>();
        services.AddSingleton<QueueMonitor>();
        services.AddSingleton<JobClient>();
        services.AddSingleton<IResultPublisher, LocalResultPublisher>();
        services.AddSingleton<PublisherSet>();
        return services;
    }

    /// <summary>
    /// A Hangfire server in this process: <see cref="JobsOptions.Workers"/> workers on
    /// <see cref="JobsOptions.Queues"/>, running <see cref="ComposeJob"/> and <see cref="PublishJob"/> with
    /// services from this container. Needs AddComposerJobs, AddComposerRendering and AddComposerStudio.
    /// </summary>
    public static IServiceCollection AddComposerWorker(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var composer = sp.GetRequiredService<IOptions<ComposerOptions>>().Value;
            var models = sp.GetRequiredService<ModelStore>();
            var neural = composer.Generator == "model" || (composer.Generator == "auto" && models.HasNeural);
            var device = neural ? TorchRuntime.Resolve(composer.Device).type.ToString().ToLowerInvariant() : "cpu";
            return new WorkerIdentity(Environment.MachineName, Environment.ProcessId, device);
        });
        // Workers that keep every core busy gain nothing from sampling a request's candidates at once: they
        // would only spend processor time on the candidates thrown away.
        services.AddOptions<ComposerOptions>().PostConfigure<IOptions<JobsOptions>>((composer, jobs) =>
        {
            if (composer.ConcurrentCandidates == 0 && jobs.Value.Workers >= Environment.ProcessorCount)
            {
                composer.ConcurrentCandidates = 1;
            }
        });
        services.AddTransient<ComposeJob>();
        services.AddTransient<PublishJob>();
        services.AddHostedService<WorkerService>();
        return services;
    }
}

/// <summary>The storage chosen by configuration, opened once per container.</summary>
public sealed class JobStore(JobStorage storage, DbDataSource dataSource, SqlDialect dialect, string artifactsDirectory) : IDisposable
{
    public JobStorage Storage => storage;

    public DbDataSource DataSource => dataSource;

    public SqlDialect Dialect => dialect;

    public string ArtifactsDirectory => artifactsDirectory;

    /// <summary>How old a PostgreSQL lock row must be before another process may clear it as a dead worker's.</summary>
    public static TimeSpan StaleLockTimeout { get; } = TimeSpan.FromSeconds(10);

    public static JobStore Open(IConfiguration configuration, JobsOptions options)
    {
        var data = options.DataDirectory is { Length: > 0 } d ? d : Path.Combine(configuration["COMPOSERBOT_HOME"] ?? Environment.CurrentDirectory, "data");
        var artifacts = options.ArtifactsDirectory is { Length: > 0 } a ? a : Path.Combine(data, "artifacts");
        Directory.CreateDirectory(artifacts);
        if (configuration.GetConnectionString("Jobs") is { Length: > 0 } postgres)
        {
            var pg = new PostgreSqlStorageOptions
            {
                QueuePollInterval = options.PollInterval,
                InvisibilityTimeout = options.InvisibilityTimeout,
                UseSlidingInvisibilityTimeout = true,
                EnableLongPolling = true,
                PrepareSchemaIfNecessary = true,

                // Hangfire's own background processes (the schedule poller, the expiration manager) take row
                // locks that a SIGKILLed worker leaves behind; the others then wait for them, deaf to a stop
                // request, until a lock is this old (the library's default is 10 minutes, which held a
                // stopping worker for Hangfire's whole shutdown timeout). Their holds last milliseconds.
                DistributedLockTimeout = StaleLockTimeout,
            };
            var storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(postgres, pg), pg);
            return new JobStore(storage, NpgsqlDataSource.Create(postgres), SqlDialect.PostgreSql, artifacts);
        }

        Directory.CreateDirectory(data);
        var sqlite = new SQLiteStorage(Path.Combine(data, "hangfire.db"), new SQLiteStorageOptions
        {
            QueuePollInterval = options.PollInterval,
            InvisibilityTimeout = options.InvisibilityTimeout,
        });
        var requests = new SqliteConnectionStringBuilder { DataSource = Path.Combine(data, "requests.db"), DefaultTimeout = 30, Pooling = true }.ToString();
        return new JobStore(sqlite, SqliteFactory.Instance.CreateDataSource(requests), SqlDialect.Sqlite, artifacts);
    }

    public void Dispose()
    {
        dataSource.Dispose();
        (storage as IDisposable)?.Dispose();
    }
}
