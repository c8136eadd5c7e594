using System.Globalization;

namespace ComposerBot.TestSupport;

/// <summary>
/// A throwaway PostgreSQL server from Debian's postgresql package (./test.sh installs it): a new cluster
/// in a temporary directory, on a free loopback port, trusting local connections, without fsync. As root,
/// the server runs as the postgres user (PostgreSQL refuses root). Stopped and deleted on dispose.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private readonly string _bin;
    private readonly string _root;
    private readonly bool _asPostgres;

    private PostgresServer(string bin, string root, int port, bool asPostgres)
    {
        (_bin, _root, Port, _asPostgres) = (bin, root, port, asPostgres);
    }

    public int Port { get; }

    /// <summary>A connection string to a database of this server (postgres unless named).</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=30";

    public static PostgresServer Start()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): ./test.sh installs Debian's postgresql package.");
        }

        var root = Path.Combine(Path.GetTempPath(), "composerbot-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var asPostgres = Environment.UserName == "root";
        if (asPostgres)
        {
            ExternalTools.Run("chown", "postgres:postgres", root);
        }

        var server = new PostgresServer(bin, root, LoopbackPort.Free(), asPostgres);
        try
        {
            server.Pg("initdb", "-D", server.DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync");
            server.Pg("pg_ctl", "-D", server.DataDirectory, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "start",
                "-o", $"-p {server.Port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200");
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>A new empty database: each test gets its own.</summary>
    public string CreateDatabase()
    {
        var name = "t" + Guid.NewGuid().ToString("N")[..16];
        Pg("psql", "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c", $"CREATE DATABASE {name}");
        return ConnectionString(name);
    }

    public void Dispose()
    {
        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                Pg("pg_ctl", "-D", DataDirectory, "-m", "immediate", "-w", "stop");
            }
        }
        finally
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private string DataDirectory => Path.Combine(_root, "data");

    private void Pg(string tool, params string[] arguments)
    {
        var path = Path.Combine(_bin, tool);
        _ = _asPostgres ? ExternalTools.Run("runuser", ["-u", "postgres", "--", path, .. arguments]) : ExternalTools.Run(path, arguments);
    }
}
