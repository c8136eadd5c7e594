using ComposerBot.TestSupport;

namespace ComposerBot.Jobs.Tests;

/// <summary>One throwaway PostgreSQL server for the whole test run; each test takes a new database of it.</summary>
public sealed class PostgresFixture : IDisposable
{
    private readonly Lazy<PostgresServer> _server = new(PostgresServer.Start);

    public string NewDatabase() => _server.Value.CreateDatabase();

    public void Dispose()
    {
        if (_server.IsValueCreated)
        {
            _server.Value.Dispose();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class QueueGroup : ICollectionFixture<PostgresFixture>
{
    public const string Name = "queue";
}
