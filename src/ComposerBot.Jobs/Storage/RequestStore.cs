using System.Data.Common;
using System.Globalization;
using System.Text.Json;

namespace ComposerBot.Jobs.Storage;

/// <summary>
/// The requests, their progress, their outcome and the published marker, in the same database as the jobs
/// (a SQLite file in the data directory, or PostgreSQL). Every change is one statement or one transaction,
/// so that any number of workers on any number of machines can share it.
/// </summary>
public sealed class RequestStore(DbDataSource dataSource, SqlDialect dialect, TimeProvider time) : IDisposable
{
    private const string Columns =
        "id, order_json, origin_json, user_id, guild_id, state, phase, fraction, attempts, error, receipt_id, files_json, worker, job_id, created_ms, started_ms, finished_ms, published_ms";

    private readonly SemaphoreSlim _schemaGate = new(1, 1);

    // SQLite takes one writer at a time and makes the others sleep in its busy handler, holding a thread:
    // admissions in this process queue here instead, without a thread. (Other processes still meet the
    // busy handler.)
    private readonly SemaphoreSlim _admissionGate = new(1, 1);
    private bool _schemaReady;

    public string Dialect => dialect.Name;

    public void Dispose()
    {
        _schemaGate.Dispose();
        _admissionGate.Dispose();
    }

    /// <summary>Creates the tables where they are missing; every operation makes sure of it once per store.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await (await OpenAsync(cancellationToken).ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (!_schemaReady)
        {
            await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!_schemaReady)
                {
                    await CreateSchemaAsync(connection, cancellationToken).ConfigureAwait(false);
                    _schemaReady = true;
                }
            }
            finally
            {
                _schemaGate.Release();
            }
        }

        return connection;
    }

    private async Task CreateSchemaAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (dialect == SqlDialect.Sqlite)
        {
            await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL", null, cancellationToken).ConfigureAwait(false);
        }

        // Several processes may start together: one creates, the others wait and find the tables there.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (dialect.AdmissionLockSql is { } lockSql)
        {
            await ExecuteAsync(connection, transaction, lockSql, null, cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, transaction, """
            CREATE TABLE IF NOT EXISTS cb_requests (
                id TEXT PRIMARY KEY,
                order_json TEXT NOT NULL,
                origin_json TEXT NOT NULL,
                user_id TEXT NOT NULL,
                guild_id TEXT,
                state TEXT NOT NULL,
                phase TEXT NOT NULL,
                fraction DOUBLE PRECISION NOT NULL DEFAULT 0,
                attempts INTEGER NOT NULL DEFAULT 0,
                error TEXT,
                receipt_id TEXT,
                files_json TEXT,
                worker TEXT,
                job_id TEXT,
                created_ms BIGINT NOT NULL,
                started_ms BIGINT,
                finished_ms BIGINT,
                published_ms BIGINT,
                publish_claim_ms BIGINT,
                is_public INTEGER NOT NULL DEFAULT 0)
            """, null, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, "CREATE INDEX IF NOT EXISTS cb_requests_state ON cb_requests (state, created_ms)", null, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, "CREATE INDEX IF NOT EXISTS cb_requests_user ON cb_requests (user_id, created_ms)", null, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, """
            CREATE TABLE IF NOT EXISTS cb_deliveries (
                request_id TEXT NOT NULL,
                channel TEXT NOT NULL,
                outcome TEXT NOT NULL,
                delivered_ms BIGINT NOT NULL)
            """, null, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, """
            CREATE TABLE IF NOT EXISTS cb_guild_settings (
                guild_id TEXT PRIMARY KEY,
                default_style TEXT,
                channel_id TEXT,
                per_user_per_hour INTEGER,
                guild_queued INTEGER)
            """, null, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A guild's own settings (what its admins chose with /settings); the defaults when none.</summary>
    public async Task<GuildSettings> GetGuildSettingsAsync(string guildId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT default_style, channel_id, per_user_per_hour, guild_queued FROM cb_guild_settings WHERE guild_id = @guild", new() { ["guild"] = guildId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new GuildSettings(guildId)
            {
                DefaultStyle = reader.IsDBNull(0) ? null : reader.GetString(0),
                ChannelId = reader.IsDBNull(1) ? null : reader.GetString(1),
                PerUserPerHour = reader.IsDBNull(2) ? null : reader.GetInt32(2),
                GuildQueued = reader.IsDBNull(3) ? null : reader.GetInt32(3),
            }
            : new GuildSettings(guildId);
    }

    public Task SaveGuildSettingsAsync(GuildSettings settings, CancellationToken cancellationToken) =>
        UpdateAsync("""
            INSERT INTO cb_guild_settings (guild_id, default_style, channel_id, per_user_per_hour, guild_queued)
            VALUES (@guild, @style, @channel, @hour, @queued)
            ON CONFLICT (guild_id) DO UPDATE SET default_style = @style, channel_id = @channel, per_user_per_hour = @hour, guild_queued = @queued
            """, new()
        {
            ["guild"] = settings.GuildId,
            ["style"] = settings.DefaultStyle,
            ["channel"] = settings.ChannelId,
            ["hour"] = settings.PerUserPerHour,
            ["queued"] = settings.GuildQueued,
        }, cancellationToken);

    /// <summary>
    /// Counts what the requester already has in the queue and, if <paramref name="decide"/> admits it,
    /// stores the request: both under one lock, so that concurrent requests cannot slip past a limit together.
    /// </summary>
    public async Task<Admission> AdmitAsync(JobRequest request, Func<AdmissionCounts, Admission> decide, CancellationToken cancellationToken)
    {
        await _admissionGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await AdmitLockedAsync(request, decide, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _admissionGate.Release();
        }
    }

    private async Task<Admission> AdmitLockedAsync(JobRequest request, Func<AdmissionCounts, Admission> decide, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (dialect.AdmissionLockSql is { } lockSql)
        {
            await ExecuteAsync(connection, transaction, lockSql, null, cancellationToken).ConfigureAwait(false);
        }

        var now = Ms(time.GetUtcNow());
        var hourAgo = now - (long)TimeSpan.FromHours(1).TotalMilliseconds;
        AdmissionCounts counts;
        await using (var command = Command(connection, transaction, """
            SELECT
                (SELECT COUNT(*) FROM cb_requests WHERE user_id = @user AND state IN ('queued', 'running')),
                (SELECT COUNT(*) FROM cb_requests WHERE user_id = @user AND created_ms > @hour_ago),
                (SELECT MIN(created_ms) FROM cb_requests WHERE user_id = @user AND created_ms > @hour_ago),
                (SELECT COUNT(*) FROM cb_requests WHERE guild_id = @guild AND state IN ('queued', 'running')),
                (SELECT COUNT(*) FROM cb_requests WHERE state = 'queued')
            """, new() { ["user"] = request.Origin.UserId, ["hour_ago"] = hourAgo, ["guild"] = request.Origin.GuildId ?? "" }))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            counts = new AdmissionCounts(
                reader.GetInt32(0),
                reader.GetInt32(1),
                reader.IsDBNull(2) ? null : FromMs(reader.GetInt64(2)),
                request.Origin.GuildId is null ? 0 : reader.GetInt32(3),
                reader.GetInt32(4));
        }

        var admission = decide(counts);
        if (admission.Accepted)
        {
            await ExecuteAsync(connection, transaction, $"""
                INSERT INTO cb_requests ({Columns}, is_public)
                VALUES (@id, @order_json, @origin_json, @user, @guild, 'queued', 'queued', 0, 0, NULL, NULL, NULL, NULL, NULL, @created, NULL, NULL, NULL, @public)
                """, new()
            {
                ["id"] = request.Id,
                ["order_json"] = JsonSerializer.Serialize(request.Order, JobsJsonContext.Default.JobOrder),
                ["origin_json"] = JsonSerializer.Serialize(request.Origin, JobsJsonContext.Default.JobOrigin),
                ["user"] = request.Origin.UserId,
                ["guild"] = request.Origin.GuildId,
                ["created"] = Ms(request.CreatedUtc),
                ["public"] = request.Origin.Public ? 1 : 0,
            }, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return admission;
    }

    public Task SetBackgroundJobAsync(string id, string jobId, CancellationToken cancellationToken) =>
        UpdateAsync("UPDATE cb_requests SET job_id = @job WHERE id = @id", new() { ["id"] = id, ["job"] = jobId }, cancellationToken);

    public async Task<JobRequest?> GetAsync(string id, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {Columns} FROM cb_requests WHERE id = @id", new() { ["id"] = id }, cancellationToken).ConfigureAwait(false)) is [var one] ? one : null;

    /// <summary>A worker starts (or, after a crash, starts again) a request: null when it has already ended.</summary>
    public async Task<JobRequest?> BeginAttemptAsync(string id, string worker, CancellationToken cancellationToken)
    {
        var changed = await UpdateAsync("""
            UPDATE cb_requests SET state = 'running', phase = 'planning', fraction = 0, attempts = attempts + 1, worker = @worker,
                started_ms = COALESCE(started_ms, @now)
            WHERE id = @id AND state IN ('queued', 'running')
            """, new() { ["id"] = id, ["worker"] = worker, ["now"] = Ms(time.GetUtcNow()) }, cancellationToken).ConfigureAwait(false);
        return changed ? await GetAsync(id, cancellationToken).ConfigureAwait(false) : null;
    }

    /// <summary>Progress of a running request; ignored once it has ended (a cancelled request stays cancelled).</summary>
    public Task ReportAsync(string id, JobPhase phase, double fraction, CancellationToken cancellationToken) =>
        UpdateAsync("UPDATE cb_requests SET phase = @phase, fraction = @fraction WHERE id = @id AND state = 'running'",
            new() { ["id"] = id, ["phase"] = Name(phase), ["fraction"] = Math.Clamp(fraction, 0, 1) }, cancellationToken);

    public Task<bool> CompleteAsync(string id, string receiptId, IReadOnlyDictionary<string, string> files, CancellationToken cancellationToken) =>
        UpdateAsync("""
            UPDATE cb_requests SET state = 'succeeded', phase = 'done', fraction = 1, receipt_id = @receipt, files_json = @files, finished_ms = @now, error = NULL
            WHERE id = @id AND state = 'running'
            """, new()
        {
            ["id"] = id,
            ["receipt"] = receiptId,
            ["files"] = JsonSerializer.Serialize(files, JobsJsonContext.Default.IReadOnlyDictionaryStringString),
            ["now"] = Ms(time.GetUtcNow()),
        }, cancellationToken);

    public Task<bool> FailAsync(string id, string error, CancellationToken cancellationToken) =>
        UpdateAsync("UPDATE cb_requests SET state = 'failed', phase = 'done', error = @error, finished_ms = @now WHERE id = @id AND state IN ('queued', 'running')",
            new() { ["id"] = id, ["error"] = error, ["now"] = Ms(time.GetUtcNow()) }, cancellationToken);

    /// <summary>Back to the queue, for a retry or after a shutdown; the error (if any) is kept for the record.</summary>
    public Task<bool> RequeueAsync(string id, string? error, CancellationToken cancellationToken) =>
        UpdateAsync("UPDATE cb_requests SET state = 'queued', phase = 'queued', fraction = 0, error = @error WHERE id = @id AND state = 'running'",
            new() { ["id"] = id, ["error"] = error }, cancellationToken);

    public Task<bool> CancelAsync(string id, CancellationToken cancellationToken) =>
        UpdateAsync("UPDATE cb_requests SET state = 'cancelled', phase = 'done', finished_ms = @now WHERE id = @id AND state IN ('queued', 'running')",
            new() { ["id"] = id, ["now"] = Ms(time.GetUtcNow()) }, cancellationToken);

    /// <summary>
    /// Takes the right to publish a finished request until <paramref name="hold"/> has passed: false when it
    /// is already published or another publisher holds it.
    /// </summary>
    public Task<bool> TryClaimPublishAsync(string id, TimeSpan hold, CancellationToken cancellationToken)
    {
        var now = Ms(time.GetUtcNow());
        return UpdateAsync("""
            UPDATE cb_requests SET publish_claim_ms = @until
            WHERE id = @id AND published_ms IS NULL AND state IN ('succeeded', 'failed', 'cancelled') AND (publish_claim_ms IS NULL OR publish_claim_ms < @now)
            """, new() { ["id"] = id, ["until"] = now + (long)hold.TotalMilliseconds, ["now"] = now }, cancellationToken);
    }

    public Task ReleasePublishClaimAsync(string id, CancellationToken cancellationToken) =>
        UpdateAsync("UPDATE cb_requests SET publish_claim_ms = NULL WHERE id = @id AND published_ms IS NULL", new() { ["id"] = id }, cancellationToken);

    public Task<bool> MarkPublishedAsync(string id, CancellationToken cancellationToken) =>
        UpdateAsync("UPDATE cb_requests SET published_ms = @now WHERE id = @id AND published_ms IS NULL", new() { ["id"] = id, ["now"] = Ms(time.GetUtcNow()) }, cancellationToken);

    /// <summary>1 for the next request a worker will take, 0 for one already running or ended.</summary>
    public async Task<int> PositionAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, """
            SELECT COUNT(*) FROM cb_requests o, cb_requests r
            WHERE r.id = @id AND r.state = 'queued' AND o.state = 'queued' AND (o.created_ms < r.created_ms OR (o.created_ms = r.created_ms AND o.id <= r.id))
            """, new() { ["id"] = id });
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <summary>A user's requests, newest first.</summary>
    public Task<IReadOnlyList<JobRequest>> ForUserAsync(string userId, int limit, CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM cb_requests WHERE user_id = @user ORDER BY created_ms DESC LIMIT {limit}", new() { ["user"] = userId }, cancellationToken);

    /// <summary>The newest finished tracks their makers chose to show (<see cref="JobOrigin.Public"/>), for the gallery.</summary>
    public Task<IReadOnlyList<JobRequest>> RecentPublicAsync(int limit, CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM cb_requests WHERE state = 'succeeded' AND is_public = 1 ORDER BY finished_ms DESC LIMIT {Math.Clamp(limit, 1, 500)}", new(), cancellationToken);

    /// <summary>The newest finished request with this receipt id (the same request, seed and model give the same id).</summary>
    public async Task<JobRequest?> ByReceiptAsync(string receiptId, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {Columns} FROM cb_requests WHERE receipt_id = @receipt AND state = 'succeeded' ORDER BY finished_ms DESC LIMIT 1", new() { ["receipt"] = receiptId }, cancellationToken).ConfigureAwait(false)) is [var one] ? one : null;

    public async Task<QueueCounts> CountsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, """
            SELECT
                (SELECT COUNT(*) FROM cb_requests WHERE state = 'queued'),
                (SELECT COUNT(*) FROM cb_requests WHERE state = 'running'),
                (SELECT COUNT(*) FROM cb_requests WHERE state = 'failed'),
                (SELECT COUNT(*) FROM cb_requests WHERE state = 'succeeded')
            """, null);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new QueueCounts(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3));
    }

    /// <summary>The median start-to-finish time of the last 20 tracks made; null before the first.</summary>
    public async Task<TimeSpan?> TypicalDurationAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null,
            "SELECT finished_ms - started_ms FROM cb_requests WHERE state = 'succeeded' AND started_ms IS NOT NULL ORDER BY finished_ms DESC LIMIT 20", null);
        var durations = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            durations.Add(reader.GetInt64(0));
        }

        durations.Sort();
        return durations.Count == 0 ? null : TimeSpan.FromMilliseconds(durations[durations.Count / 2]);
    }

    /// <summary>The local channel's record of an outcome handed over (the CLI and the web read it).</summary>
    public Task RecordDeliveryAsync(string id, string channel, string outcome, CancellationToken cancellationToken) =>
        UpdateAsync("INSERT INTO cb_deliveries (request_id, channel, outcome, delivered_ms) VALUES (@id, @channel, @outcome, @now)",
            new() { ["id"] = id, ["channel"] = channel, ["outcome"] = outcome, ["now"] = Ms(time.GetUtcNow()) }, cancellationToken);

    public async Task<int> DeliveriesAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT COUNT(*) FROM cb_deliveries WHERE request_id = @id", new() { ["id"] = id });
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <summary>Can the database be reached (for /healthz)?</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = Command(connection, null, "SELECT 1", null);
            return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) == 1;
        }
        catch (DbException)
        {
            return false;
        }
    }

    private async Task<IReadOnlyList<JobRequest>> QueryAsync(string sql, Dictionary<string, object?> parameters, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<JobRequest>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(Read(reader));
        }

        return rows;
    }

    private static JobRequest Read(DbDataReader r) =>
        new(r.GetString(0), JsonSerializer.Deserialize(r.GetString(1), JobsJsonContext.Default.JobOrder)!, JsonSerializer.Deserialize(r.GetString(2), JobsJsonContext.Default.JobOrigin)!, FromMs(r.GetInt64(14)))
        {
            State = Enum.Parse<JobState>(r.GetString(5), ignoreCase: true),
            Phase = Enum.Parse<JobPhase>(r.GetString(6), ignoreCase: true),
            Fraction = r.GetDouble(7),
            Attempts = r.GetInt32(8),
            Error = r.IsDBNull(9) ? null : r.GetString(9),
            ReceiptId = r.IsDBNull(10) ? null : r.GetString(10),
            Files = r.IsDBNull(11) ? new Dictionary<string, string>() : JsonSerializer.Deserialize(r.GetString(11), JobsJsonContext.Default.IReadOnlyDictionaryStringString)!,
            Worker = r.IsDBNull(12) ? null : r.GetString(12),
            BackgroundJobId = r.IsDBNull(13) ? null : r.GetString(13),
            StartedUtc = r.IsDBNull(15) ? null : FromMs(r.GetInt64(15)),
            FinishedUtc = r.IsDBNull(16) ? null : FromMs(r.GetInt64(16)),
            PublishedUtc = r.IsDBNull(17) ? null : FromMs(r.GetInt64(17)),
        };

    private async Task<bool> UpdateAsync(string sql, Dictionary<string, object?> parameters, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(connection, null, sql, parameters, cancellationToken).ConfigureAwait(false) > 0;
    }

    private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, Dictionary<string, object?>? parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, Dictionary<string, object?>? parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters ?? [])
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    internal static string Name<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}

/// <summary>What a requester already has in the queue, read under the admission lock.</summary>
public sealed record AdmissionCounts(int UserActive, int UserLastHour, DateTimeOffset? UserOldestInHour, int GuildActive, int GlobalQueued);

/// <summary>
/// What a guild's admins set with /settings: the style when a request names none, the one channel the bot
/// answers in, and quotas tighter or looser than the defaults (the global queue cap still applies).
/// </summary>
public sealed record GuildSettings(string GuildId)
{
    public string? DefaultStyle { get; init; }

    public string? ChannelId { get; init; }

    public int? PerUserPerHour { get; init; }

    public int? GuildQueued { get; init; }
}

/// <summary>Requests by state, for /healthz and /status.</summary>
public sealed record QueueCounts(int Queued, int Running, int Failed, int Succeeded);
