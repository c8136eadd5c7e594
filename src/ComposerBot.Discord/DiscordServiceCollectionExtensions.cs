using ComposerBot.Discord.Interactions;
using ComposerBot.Discord.Modules;
using ComposerBot.Discord.Rest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ComposerBot.Discord;

public static class DiscordServiceCollectionExtensions
{
    /// <summary>The REST client (one HttpClient, shared rate-limit state) for the given options.</summary>
    public static IServiceCollection AddDiscordRest(this IServiceCollection services, DiscordRestOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddHttpClient(nameof(DiscordRestClient));
        services.AddSingleton(sp => new DiscordRestClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(DiscordRestClient)), options, sp.GetRequiredService<TimeProvider>()));
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
