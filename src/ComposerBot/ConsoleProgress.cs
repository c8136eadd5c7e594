using Spectre.Console;

namespace ComposerBot.Cli;

/// <summary>Progress bars on stderr while long work runs, one per stage, shown only when stderr is a terminal.</summary>
public static class ConsoleProgress
{
    public static bool Enabled(bool json) => !json && !Console.IsErrorRedirected;

    /// <summary>Runs the work with a reporter of (stage, fraction done); bars appear as their stages start.</summary>
    public static async Task<T> RunAsync<T>(bool enabled, Func<IProgress<(string Stage, double Fraction)>?, Task<T>> work)
    {
        if (!enabled)
        {
            return await work(null).ConfigureAwait(false);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                var progress = new SyncProgress<(string Stage, double Fraction)>(update =>
                {
                    lock (tasks)
                    {
                        if (!tasks.TryGetValue(update.Stage, out var task))
                        {
                            task = context.AddTask(update.Stage, maxValue: 1);
                            tasks[update.Stage] = task;
                        }

                        task.Value = update.Fraction;
                    }
                });
                return await work(progress).ConfigureAwait(false);
            }).ConfigureAwait(false);
    }
}
