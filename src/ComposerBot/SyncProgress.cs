namespace ComposerBot.Cli;

/// <summary>Reports on the reporting thread, at once (unlike <see cref="Progress{T}"/>, which posts).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
