namespace ComposerBot.Generation.Tests;

/// <summary>Collects progress reports on the reporting thread, at once.</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
