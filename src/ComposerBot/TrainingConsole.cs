using ComposerBot.Generation.Neural.Training;
using Spectre.Console;

namespace ComposerBot.Cli;

/// <summary>
/// Shows a training run: a progress bar with loss, tokens/s and ETA on a terminal; otherwise (a log, a
/// background run) one line every 30 seconds and one per epoch on stderr.
/// </summary>
public static class TrainingConsole
{
    private static readonly TimeSpan LogEvery = TimeSpan.FromSeconds(30);

    public static async Task<T> RunAsync<T>(Func<IProgress<TrainingProgress>, Task<T>> work)
    {
        if (Console.IsErrorRedirected)
        {
            var last = DateTime.MinValue;
            return await work(new SyncProgress<TrainingProgress>(p =>
            {
                if (p.Note is { } note)
                {
                    Console.Error.WriteLine(note);
                }
                else if (DateTime.UtcNow - last >= LogEvery || p.Step == p.TotalSteps)
                {
                    last = DateTime.UtcNow;
                    Console.Error.WriteLine(Describe(p));
                }
            })).ConfigureAwait(false);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("Training", maxValue: 1);
                return await work(new SyncProgress<TrainingProgress>(p =>
                {
                    if (p.Note is { } note)
                    {
                        console.MarkupLine(Markup.Escape(note));
                    }

                    task.Description = Markup.Escape(Describe(p));
                    task.Value = p.Fraction;
                })).ConfigureAwait(false);
            }).ConfigureAwait(false);
    }

    private static string Describe(TrainingProgress p) =>
        $"step {p.Step}/{p.TotalSteps} epoch {p.Epoch} loss {p.Loss:0.000} {p.TokensPerSecond:N0} tok/s ETA {p.Eta:h\\:mm\\:ss}";
}
