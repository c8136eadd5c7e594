using System.CommandLine;
using ComposerBot.Jobs;
using ComposerBot.Jobs.Publishing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ComposerBot.Cli.Commands;

/// <summary>
/// <c>composerbot submit "prompt" [--wait]</c>: puts a track in the shared queue for a worker (serve or
/// worker) to make; with --wait, follows it and copies the files to --out. <c>composerbot cancel ID</c>
/// stops one.
/// </summary>
public static class SubmitCommand
{
    private static readonly Option<string?> Data = new("--data") { Description = "The data directory of the queue (as given to serve or worker); default data/ in the app's home." };
    private static readonly Option<string> User = new("--user") { Description = "Who is asking (quotas are per user).", DefaultValueFactory = _ => "cli:" + Environment.UserName };

    public static Command Create()
    {
        var track = new TrackOptionSet();
        var format = new Option<string>("--format", "-f") { Description = "mp3, ogg, opus, flac or wav.", DefaultValueFactory = _ => "mp3" };
        var wait = new Option<bool>("--wait") { Description = "Wait for the track, showing its progress, then copy its files to --out." };
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "With --wait: the folder for the files.", DefaultValueFactory = _ => new DirectoryInfo(".") };
        var command = new Command("submit", "Queue a track for the workers (serve or worker) to compose; --wait follows it to the end.") { format, wait, output, Data, User };
        track.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = Services(parse);
            var jobs = services.GetRequiredService<JobClient>();
            var order = new JobOrder(track.Read(parse)) { Format = parse.GetRequiredValue(format) };
            var admission = await jobs.SubmitAsync(order, new JobOrigin(LocalResultPublisher.Name, parse.GetRequiredValue(User)), cancellationToken).ConfigureAwait(false);
            if (!admission.Accepted)
            {
                throw new CliInputException(admission.Reason!);
            }

            var id = admission.RequestId!;
            await Console.Out.WriteLineAsync($"Queued {id} (#{admission.Position} in the queue)").ConfigureAwait(false);
            return parse.GetValue(wait)
                ? await FollowAsync(services, id, parse.GetRequiredValue(output).FullName, cancellationToken).ConfigureAwait(false)
                : ExitCodes.Success;
        });
        return command;
    }

    public static Command CreateCancel()
    {
        var id = new Argument<string>("id") { Description = "The request id that submit printed." };
        var command = new Command("cancel", "Cancel a queued or running track of yours.") { id, Data, User };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = Services(parse);
            var requestId = parse.GetRequiredValue(id);
            if (!await services.GetRequiredService<JobClient>().CancelAsync(requestId, parse.GetRequiredValue(User), cancellationToken).ConfigureAwait(false))
            {
                throw new CliInputException($"no queued or running request '{requestId}' of yours.");
            }

            await Console.Out.WriteLineAsync($"Cancelled {requestId}").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static ServiceProvider Services(ParseResult parse)
    {
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddInMemoryCollection(JobHosts.Settings(parse.GetValue(Data), null, null))
            .Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace))
            .AddComposerJobs(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>Shows the request's place and steps until it ends; copies the files of a finished track.</summary>
    private static async Task<int> FollowAsync(ServiceProvider services, string id, string outDirectory, CancellationToken cancellationToken)
    {
        var jobs = services.GetRequiredService<JobClient>();
        var artifacts = services.GetRequiredService<ArtifactStore>();
        var request = await ConsoleProgress.RunAsync(ConsoleProgress.Enabled(false), async progress =>
        {
            var lastLine = "";
            while (true)
            {
                var view = await jobs.ViewAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new CliInputException($"request '{id}' disappeared from the queue.");
                var stage = view.State == "queued" ? $"queued (#{view.Position})" : view.Phase;
                progress?.Report((stage, view.State == "queued" ? 0 : view.Fraction));
                if (progress is null && stage != lastLine)
                {
                    await Console.Error.WriteLineAsync(stage).ConfigureAwait(false);
                    lastLine = stage;
                }

                if (view.State is "succeeded" or "failed" or "cancelled")
                {
                    return (await jobs.GetAsync(id, cancellationToken).ConfigureAwait(false))!;
                }

                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);

        switch (request.State)
        {
            case JobState.Failed:
                await Console.Error.WriteLineAsync($"composerbot: {request.Error}").ConfigureAwait(false);
                return ExitCodes.Failure;
            case JobState.Cancelled:
                await Console.Error.WriteLineAsync("composerbot: cancelled").ConfigureAwait(false);
                return ExitCodes.Cancelled;
        }

        Directory.CreateDirectory(outDirectory);
        foreach (var kind in request.Files.Keys)
        {
            var source = artifacts.PathOf(request, kind)!;
            File.Copy(source, Path.Combine(outDirectory, Path.GetFileName(source)), overwrite: true);
        }

        await Console.Out.WriteLineAsync($"Wrote {request.Files.Count} files to {outDirectory} (receipt {request.ReceiptId})").ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
