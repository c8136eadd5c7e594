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
                var tasks = Enum.GetValues<RenderPhase>().ToDictionary(p => p, p => context.AddTask(p.ToString(), autoStart: false, maxValue: 1));
                var progress = new Reporter(update =>
                {
                    var task = tasks[update.Phase];
                    task.StartTask();
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
