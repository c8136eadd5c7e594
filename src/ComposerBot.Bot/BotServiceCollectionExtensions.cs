using ComposerBot.Bot.Modules;
using ComposerBot.Bot.Publishing;
using ComposerBot.Discord;
using ComposerBot.Discord.Rest;
using ComposerBot.Jobs.Publishing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ComposerBot.Bot;

public static class BotServiceCollectionExtensions
{
    /// <summary>Whether this configuration has a bot token (DISCORD_TOKEN or Bot:Token).</summary>
    public static bool HasDiscordToken(IConfiguration configuration) => !string.IsNullOrWhiteSpace(Token(configuration));

    /// <summary>
    /// The whole bot: the REST client, the command modules and the gateway connection that receives their
    /// interactions, and the discord result publisher. Needs AddComposerJobs (and a worker somewhere).
    /// </summary>
    public static IServiceCollection AddComposerBot(this IServiceCollection services, IConfiguration configuration, bool connectGateway = true)
    {
        services.AddComposerBotPublisher(configuration);
        services.AddDiscordInteractions([.. BotModules.All]);
        // Attachment URLs carry signed query strings (ex, is, hm): no HTTP client logs its request URIs.
        services.AddHttpClient();
        services.ConfigureHttpClientDefaults(http => http.RemoveAllLoggers());
        services.AddSingleton<TrackRequests>();
        if (connectGateway)
        {
            services.AddHostedService<DiscordGatewayService>();
        }

        return services;
    }

    /// <summary>Only what publishing to Discord needs (a worker that takes publish jobs): REST and the publisher.</summary>
    public static IServiceCollection AddComposerBotPublisher(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BotOptions>().Bind(configuration.GetSection(BotOptions.Section))
            .Validate(o => o.ProgressInterval >= TimeSpan.FromSeconds(1), "Bot:ProgressInterval must be at least 1 s (Discord rate-limits edits).")
            .Validate(o => Uri.TryCreate(o.PublicUrl, UriKind.Absolute, out _), "Bot:PublicUrl must be an absolute URL.")
            .Validate(o => o.DefaultAttachmentLimit >= 1024 * 1024, "Bot:DefaultAttachmentLimit must be at least 1 MiB.")
            .ValidateOnStart();
        var token = Token(configuration) ?? throw new OptionsValidationException(BotOptions.Section, typeof(BotOptions), ["DISCORD_TOKEN is not set: put the bot token in the environment (docs/discord-setup.md)."]);
        var rest = new DiscordRestOptions { Token = token.Trim() };
        if (configuration["DISCORD_API_URL"] is { Length: > 0 } api)
        {
            rest = rest with { BaseAddress = new Uri(api.EndsWith('/') ? api : api + "/") };
        }

        services.AddDiscordRest(rest);
        services.AddSingleton<IResultPublisher, DiscordResultPublisher>();
        return services;
    }

    private static string? Token(IConfiguration configuration) => configuration["DISCORD_TOKEN"] is { Length: > 0 } t ? t : configuration[$"{BotOptions.Section}:Token"];
}
