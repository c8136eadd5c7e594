namespace ComposerBot.Cli;

/// <summary>Turns a library's own progress type into the console's (stage, fraction) reports.</summary>
public sealed class ProgressAdapter<T>(IProgress<(string Stage, double Fraction)>? inner, Func<T, (string Stage, double Fraction)> map) : IProgress<T>
{
    public void Report(T value) => inner?.Report(map(value));
}
