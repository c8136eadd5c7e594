using ComposerBot.Rendering;
using Spectre.Console;

namespace ComposerBot.Cli;

/// <summary>A progress bar on stderr while a render runs, shown only when stderr is a terminal.</summary>
public static class ConsoleProgress
{
    public static bool Enabled(bool json) => !json && !Console.IsErrorRedirected;

    public static async Task<T> RunAsync<T>(bool enabled, Func<IProgress<RenderProgress>?, Task<T>> work)
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
                // A bar appears when its phase starts, so phases that do not run show nothing.
                var tasks = new Dictionary<RenderPhase, ProgressTask>();
                var progress = new Reporter(update =>
                {
                    if (!tasks.TryGetValue(update.Phase, out var task))
                    {
                        task = context.AddTask(update.Phase.ToString(), maxValue: 1);
                        tasks[update.Phase] = task;
                    }

                    task.Value = update.Fraction;
                });
                return await work(progress).ConfigureAwait(false);
            }).ConfigureAwait(false);
    }

    private sealed class Reporter(Action<RenderProgress> report) : IProgress<RenderProgress>
    {
        public void Report(RenderProgress value) => report(value);
    }
}
