using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ComposerBot.Cli.Commands;

/// <summary>
/// <c>composerbot worker</c>: a worker alone against shared storage (ConnectionStrings__Jobs for PostgreSQL,
/// else the SQLite files in --data). Stops gracefully on Ctrl+C or SIGTERM.
/// </summary>
public static class WorkerCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "The data directory (SQLite queue and artifacts); default data/ in the app's home." };
        var workers = new Option<int?>("--workers") { Description = "How many jobs this process runs at once (default 1, or Jobs__Workers)." };
        var queues = new Option<string?>("--queues") { Description = "Which queues to take jobs from: compose, publish or compose,publish (the default)." };
        var device = new Option<string?>("--device") { Description = "Where the neural model runs: auto (CUDA when present), cpu, cuda or cuda:N." };
        var command = new Command("worker", "Run a worker that takes compose and publish jobs from the shared queue.") { data, workers, queues, device };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = JobHosts.Settings(parse.GetValue(data), parse.GetValue(workers), parse.GetValue(device));
            if (parse.GetValue(queues) is { } q)
            {
                settings["Jobs:Queues"] = q;
            }

            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
            builder.Configuration.AddLogDefaults();
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.Services.AddWorkerServices(builder.Configuration);
            using var host = builder.Build();
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
