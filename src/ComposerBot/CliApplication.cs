using System.CommandLine;
using ComposerBot.Cli.Commands;
using ComposerBot.Music.Midi;
using ComposerBot.Rendering;

namespace ComposerBot.Cli;

/// <summary>The verbs, and the one place where failures become exit codes and one-line messages.</summary>
public static class CliApplication
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("ComposerBot composes original, royalty-free music and renders it to finished audio.")
        {
            ComposeCommand.Create(),
            RenderCommand.Create(),
            InfoCommand.Create(),
            SpectrogramCommand.Create(),
            EvaluateCommand.Create(),
            BuildModelsCommand.Create(),
            TrainCommand.Create(),
            TuneCommand.Create(),
            CalibrateCommand.Create(),
            CriticCommand.Create(),
            ClustersCommand.Create(),
            RegisterCommandsCommand.Create(),
            ServeCommand.Create(),
            WorkerCommand.Create(),
            SubmitCommand.Create(),
            SubmitCommand.CreateCancel(),
            ProvenanceCommands.CreateVerify(),
            ProvenanceCommands.CreateKey(),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            await Console.Error.WriteLineAsync($"composerbot: {OneLine(parsed.Errors[0].Message)} (see 'composerbot --help')").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,

                // SIGTERM or Ctrl+C cancels the action's token; System.CommandLine then waits this long before it
                // ends the process with 130/143 itself. Its default, 2 s, cut short a worker that was letting its
                // running job finish or hand it back (Jobs:ShutdownTimeout, 30 s, plus 10 s).
                ProcessTerminationTimeout = TimeSpan.FromMinutes(2),
            }).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsUserError(ex))
        {
            await Console.Error.WriteLineAsync($"composerbot: {OneLine(ex.Message)}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("composerbot: cancelled").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
    }

    private static bool IsUserError(Exception ex) =>
        ex is MidiFormatException or RenderException or FileNotFoundException or CliInputException
            or Corpus.CorpusException or Evaluation.EvaluationException or Composition.Requests.CompositionException or Studio.ModelException or Generation.Neural.ModelLoadException or Discord.Rest.DiscordHttpException
            or Microsoft.Extensions.Options.OptionsValidationException;

    /// <summary>Messages that list choices on several lines read as one: "... one of: a, b, c".</summary>
    private static string OneLine(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length <= 1 ? message.Trim() : $"{lines[0]} {string.Join(", ", lines.Skip(1))}";
    }
}
