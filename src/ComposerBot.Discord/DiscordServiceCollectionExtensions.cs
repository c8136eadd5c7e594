using ComposerBot.Discord.Interactions;
using ComposerBot.Discord.Modules;
using ComposerBot.Discord.Rest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ComposerBot.Discord;

public static class DiscordServiceCollectionExtensions
{
    /// <summary>
    /// The REST client (one HttpClient, shared rate-limit state) for the given options. The HTTP client
    /// factory's own request logging is removed: it prints the full URI, and Discord puts interaction
    /// tokens in paths. The client logs each call by its route template instead.
    /// </summary>
    public static IServiceCollection AddDiscordRest(this IServiceCollection services, DiscordRestOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddHttpClient(nameof(DiscordRestClient)).RemoveAllLoggers();
        services.AddSingleton(sp => new DiscordRestClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(DiscordRestClient)), options, sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<DiscordRestClient>>()));
        return services;
    }

    /// <summary>
    /// The command modules and what runs them: the <see cref="InteractionService"/>, the HTTP endpoint's
    /// handler and the gateway listener. Declarations are checked when the service is first built.
    /// </summary>
    public static IServiceCollection AddDiscordInteractions(this IServiceCollection services, params Type[] modules)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new InteractionModules(modules));
        services.AddSingleton<InteractionService>();
        services.AddSingleton<IInteractionHandler, ModuleInteractionHandler>();
        services.AddSingleton<GatewayInteractionListener>();
        return services;
    }
}
