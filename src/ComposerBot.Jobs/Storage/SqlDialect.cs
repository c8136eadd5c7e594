namespace ComposerBot.Jobs.Storage;

/// <summary>What differs between the two databases the store runs on; the SQL itself is shared.</summary>
public sealed record SqlDialect(string Name, string? AdmissionLockSql)
{
    /// <summary>SQLite: a write transaction (BEGIN IMMEDIATE) already excludes every other writer.</summary>
    public static SqlDialect Sqlite { get; } = new("sqlite", null);

    /// <summary>PostgreSQL: admissions are serialised by a transaction-scoped advisory lock.</summary>
    public static SqlDialect PostgreSql { get; } = new("postgresql", "SELECT pg_advisory_xact_lock(7215046)");
}
