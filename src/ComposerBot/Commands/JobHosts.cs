using ComposerBot.Bot;
using ComposerBot.Jobs;
using ComposerBot.Rendering;
using ComposerBot.Studio;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ComposerBot.Cli.Commands;

/// <summary>What serve and worker share: the options that point at the queue, and the services of a worker.</summary>
internal static class JobHosts
{
    /// <summary>
    /// A worker's services; with a bot token also the Discord publisher (so it can publish the bot's tracks),
    /// and with <paramref name="bot"/> the whole bot (serve).
    /// </summary>
    public static IServiceCollection AddWorkerServices(this IServiceCollection services, IConfiguration configuration, bool bot = false)
    {
        services.AddComposerRendering(configuration).AddComposerStudio(configuration).AddComposerJobs(configuration).AddComposerWorker();
        if (BotServiceCollectionExtensions.HasDiscordToken(configuration))
        {
            // With a public key Discord calls the HTTP endpoint (serve maps it); otherwise the gateway delivers.
            _ = bot ? services.AddComposerBot(configuration, connectGateway: string.IsNullOrWhiteSpace(configuration["DISCORD_PUBLIC_KEY"])) : services.AddComposerBotPublisher(configuration);
        }

        return services;
    }

    /// <summary>
    /// Log levels a host starts from; the environment (Logging__LogLevel__...) and appsettings may change
    /// them, so this goes under every other source.
    /// </summary>
    public static void AddLogDefaults(this IConfigurationBuilder configuration) =>
        configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                // Our own log lines tell the story of each request; ASP.NET Core's per-request lines only add noise.
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",

                // A host that fails to start says why in one line (CliApplication); not a second time with a stack trace.
                ["Logging:LogLevel:Microsoft.Extensions.Hosting.Internal.Host"] = "None",
            },
        });

    /// <summary>Command-line values as configuration keys (they win over the environment).</summary>
    public static Dictionary<string, string?> Settings(string? data, int? workers, string? device)
    {
        var settings = new Dictionary<string, string?>();
        if (data is not null)
        {
            settings[$"{JobsOptions.Section}:{nameof(JobsOptions.DataDirectory)}"] = Path.GetFullPath(data);
        }

        if (workers is { } n)
        {
            settings[$"{JobsOptions.Section}:{nameof(JobsOptions.Workers)}"] = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (device is not null)
        {
            settings[$"{ComposerOptions.Section}:{nameof(ComposerOptions.Device)}"] = device;
        }

        return settings;
    }
}
