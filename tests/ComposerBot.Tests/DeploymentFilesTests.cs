using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using ComposerBot.Bot;
using ComposerBot.Jobs;
using ComposerBot.Studio;
using ComposerBot.TestSupport;
using ComposerBot.Web;

namespace ComposerBot.Tests;

/// <summary>
/// The Dockerfile, docker-compose.yml and .env.example agree with the code and the install scripts (these
/// machines have no Docker engine to build or start them; `docker compose config` runs where Compose exists).
/// </summary>
public sealed partial class DeploymentFilesTests
{
    private static string Read(string name) => File.ReadAllText(Path.Combine(RepositoryPaths.Root, name));

    [Fact]
    public void The_runtime_image_installs_what_the_product_needs_and_the_build_image_what_the_build_needs()
    {
        var script = Read("scripts/prerequisites.sh");
        var block = script[script.IndexOf("COMPOSERBOT_RUNTIME_PACKAGES=(", StringComparison.Ordinal)..];
        block = block[..block.IndexOf("\n)", StringComparison.Ordinal)];
        var packages = PackageLine().Matches(block).Select(m => (Name: m.Groups["name"].Value, BuildOnly: m.Groups["comment"].Value.TrimStart().StartsWith("build:", StringComparison.Ordinal))).ToList();
        Assert.Contains(packages, p => p.Name == "libfluidsynth3");

        var dockerfile = Read("Dockerfile");
        var runtime = dockerfile[dockerfile.IndexOf("AS runtime", StringComparison.Ordinal)..];
        var build = dockerfile[..dockerfile.IndexOf("AS runtime", StringComparison.Ordinal)];
        Assert.All(packages.Where(p => !p.BuildOnly), p => Assert.Contains($" {p.Name}", runtime, StringComparison.Ordinal));
        Assert.All(packages.Where(p => p.BuildOnly), p => Assert.Contains($" {p.Name}", build, StringComparison.Ordinal));
        Assert.Contains("build/torchsharp/fix-libtorchsharp.sh /app", build, StringComparison.Ordinal);
        Assert.Contains("""ENTRYPOINT ["dotnet", "ComposerBot.dll"]""", runtime, StringComparison.Ordinal);
    }

    [Fact]
    public void The_executable_runs_with_the_runtime_settings_its_benchmarks_measured()
    {
        // Directory.Build.targets: the GC, thread pool and JIT settings behind the figures in RESULTS.md, in
        // the runtimeconfig.json the CLI, serve and the workers start with (copied beside this test).
        using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ComposerBot.runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.False(properties.GetProperty("System.GC.Concurrent").GetBoolean());
        Assert.Equal(7, properties.GetProperty("System.GC.ConserveMemory").GetInt32());
        Assert.Equal(32, properties.GetProperty("System.Threading.ThreadPool.MinThreads").GetInt32());
        Assert.Equal(0, properties.GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32());
        Assert.False(properties.GetProperty("System.Runtime.TieredPGO").GetBoolean());
    }

    [Fact]
    public void Compose_runs_serve_two_workers_and_postgres_with_their_volumes()
    {
        var compose = Read("docker-compose.yml");
        Assert.Matches(@"\n  bot:\n    <<: \*composerbot\n    command: \[""serve"", ""--urls"", ""http://0\.0\.0\.0:5080""\]", compose);
        Assert.Matches(@"\n  worker:\n    <<: \*composerbot\n    command: \[""worker""\]\n    deploy:\n      replicas: 2", compose);
        Assert.Matches(@"\n  postgres:\n    image: postgres:15", compose);
        Assert.Contains("- pgdata:/var/lib/postgresql/data", compose, StringComparison.Ordinal);
        Assert.Contains("- artifacts:/artifacts", compose, StringComparison.Ordinal);
        Assert.Contains("Jobs__ArtifactsDirectory: /artifacts", compose, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__Jobs: \"Host=postgres;", compose, StringComparison.Ordinal);
        Assert.Matches(@"\nvolumes:\n  pgdata:\n  artifacts:\n", compose);
    }

    [Fact]
    public void Every_setting_in_the_example_env_file_is_one_the_code_reads()
    {
        var sections = new Dictionary<string, Type>
        {
            [JobsOptions.Section] = typeof(JobsOptions),
            [BotOptions.Section] = typeof(BotOptions),
            [WebOptions.Section] = typeof(WebOptions),
            [ComposerOptions.Section] = typeof(ComposerOptions),
        };
        var sources = string.Join('\n', Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "src"), "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText));
        var compose = Read("docker-compose.yml");
        var keys = Read(".env.example").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l[..l.IndexOf('=', StringComparison.Ordinal)]).ToList();
        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            var path = key.Split("__");
            if (path.Length == 1)
            {
                Assert.True(sources.Contains($"\"{key}\"", StringComparison.Ordinal) || compose.Contains($"${{{key}", StringComparison.Ordinal), $"{key} is read nowhere");
                continue;
            }

            Assert.True(sections.TryGetValue(path[0], out var type), $"{key}: no options section {path[0]}");
            foreach (var name in path.Skip(1))
            {
                var property = type!.GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
                Assert.True(property is { CanWrite: true }, $"{key}: {type.Name} has no settable {name}");
                type = property!.PropertyType;
            }
        }
    }

    [SkippableFact]
    public void Docker_compose_accepts_the_file_where_compose_is_installed()
    {
        // Where docker has no Compose plugin (docs/deploy.md says so) this reports itself skipped, not passed;
        // the structure is checked above either way.
        Skip.IfNot(Runs("docker", "compose", "version"), "docker compose is not installed on this machine");

        Assert.True(Runs("docker", "compose", "-f", Path.Combine(RepositoryPaths.Root, "docker-compose.yml"), "config", "--quiet"), "docker compose config rejected docker-compose.yml");
    }

    private static bool Runs(string file, params string[] arguments)
    {
        try
        {
            _ = ExternalTools.Run(file, arguments);
            return true;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^\s+(?<name>[a-z0-9][a-z0-9.+-]+)\s*(#(?<comment>.*))?$", RegexOptions.Multiline)]
    private static partial Regex PackageLine();
}
