using System.CommandLine;
using ComposerBot.Corpus;

namespace ComposerBot.Cli.Commands;

/// <summary>
/// --corpus and --cache, shared by the verbs that read the training corpus. The corpus is never needed to
/// run the product; tools that read it say clearly when it cannot be found.
/// </summary>
public sealed class CorpusOptions
{
    public Option<DirectoryInfo?> Corpus { get; } = new("--corpus")
    {
        Description = "The corpus folder (with manifest.json). Default: $COMPOSERBOT_CORPUS, else ../shared/corpus beside the repository.",
    };

    public Option<DirectoryInfo?> Cache { get; } = new("--cache")
    {
        Description = "Where extracted lead sheets and the originality index are cached. Default: $XDG_CACHE_HOME/composerbot or ~/.cache/composerbot.",
    };

    public void AddTo(Command command)
    {
        command.Add(Corpus);
        command.Add(Cache);
    }

    public string ResolveCorpus(ParseResult parse)
    {
        if (parse.GetValue(Corpus) is { } explicitPath)
        {
            return explicitPath.Exists ? explicitPath.FullName : throw new CliInputException($"corpus folder not found: {explicitPath.FullName}");
        }

        var fromEnvironment = Environment.GetEnvironmentVariable("COMPOSERBOT_CORPUS");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Directory.Exists(fromEnvironment) ? Path.GetFullPath(fromEnvironment) : throw new CliInputException($"corpus folder not found: {fromEnvironment} (from COMPOSERBOT_CORPUS)");
        }

        var home = Environment.GetEnvironmentVariable("COMPOSERBOT_HOME") ?? Directory.GetCurrentDirectory();
        var beside = Path.GetFullPath(Path.Combine(home, "..", "shared", "corpus"));
        return File.Exists(Path.Combine(beside, "manifest.json"))
            ? beside
            : throw new CliInputException("no corpus found: pass --corpus PATH (the folder with manifest.json) or set COMPOSERBOT_CORPUS.");
    }

    /// <summary>Loads the corpus these options name (extraction cached), with a progress bar on a terminal.</summary>
    public Task<Corpus.Corpus> LoadAsync(ParseResult parse, CancellationToken cancellationToken) =>
        ConsoleProgress.RunAsync(ConsoleProgress.Enabled(json: false), progress => Task.Run(
            () => CorpusLoader.Load(ResolveCorpus(parse), ResolveCache(parse), new ProgressAdapter<(int Done, int Total)>(progress, p => ("Loading corpus", (double)p.Done / p.Total)), cancellationToken),
            cancellationToken));

    public string ResolveCache(ParseResult parse)
    {
        if (parse.GetValue(Cache) is { } explicitPath)
        {
            return explicitPath.FullName;
        }

        return DefaultCacheDirectory();
    }

    /// <summary>$XDG_CACHE_HOME/composerbot, else ~/.cache/composerbot.</summary>
    public static string DefaultCacheDirectory()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = string.IsNullOrWhiteSpace(xdg) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache") : xdg;
        return Path.Combine(root, "composerbot");
    }
}
