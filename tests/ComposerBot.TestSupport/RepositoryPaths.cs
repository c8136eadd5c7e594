namespace ComposerBot.TestSupport;

/// <summary>Paths in the repository the tests run from (found by walking up to ComposerBot.sln).</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Models => Path.Combine(Root, "models");

    /// <summary>The public MIDI test files (jazz-soft/test-midi-files, MIT) with the expectations their texts state.</summary>
    public static string MidiTestFiles => Path.Combine(Root, "tests", "data", "midi-test-files");

    /// <summary>The shared training corpus beside the repository (../shared/corpus), which tests of the shipped models read.</summary>
    public static string SharedCorpus => Path.GetFullPath(Path.Combine(Root, "..", "shared", "corpus"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ComposerBot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the tests must run inside the repository");
    }
}
