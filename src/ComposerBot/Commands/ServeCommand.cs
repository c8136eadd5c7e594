using System.CommandLine;
using ComposerBot.Discord.Interactions;
using ComposerBot.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ComposerBot.Cli.Commands;

/// <summary>
/// <c>composerbot serve</c>: the web (requests API, /healthz) and a worker in one process on the embedded
/// SQLite queue; no configuration needed. With DISCORD_TOKEN it also runs the bot (gateway and commands).
/// ConnectionStrings__Jobs moves the queue to PostgreSQL.
/// </summary>
public static class ServeCommand
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen.", DefaultValueFactory = _ => DefaultUrl };
        var data = new Option<string?>("--data") { Description = "The data directory (SQLite queue and artifacts); default data/ in the app's home." };
        var workers = new Option<int?>("--workers") { Description = "How many jobs this process runs at once (default 1, or Jobs__Workers)." };
        var device = new Option<string?>("--device") { Description = "Where the neural model runs: auto (CUDA when present), cpu, cuda or cuda:N." };
        var command = new Command("serve", "Run the web and a worker in one process (the local, no-configuration setup).") { urls, data, workers, device };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
            builder.Configuration.AddLogDefaults();
            builder.Configuration.AddInMemoryCollection(JobHosts.Settings(parse.GetValue(data), parse.GetValue(workers), parse.GetValue(device)));
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.WebHost.UseUrls(parse.GetRequiredValue(urls));
            builder.Services.AddWorkerServices(builder.Configuration, bot: true).AddComposerWeb(builder.Configuration);
            await using var app = builder.Build();
            app.MapComposerWeb().MapComposerApi();
            if (Bot.BotServiceCollectionExtensions.HasDiscordToken(app.Configuration) && app.Configuration["DISCORD_PUBLIC_KEY"] is { Length: > 0 } publicKey)
            {
                app.MapDiscordInteractions("/interactions", publicKey.Trim());
            }
            await HostingAbstractionsHostExtensions.RunAsync(app, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
