using ComposerBot.Composition;
using ComposerBot.Generation.NGram;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ComposerBot.Studio;

public static class StudioServiceCollectionExtensions
{
    /// <summary>
    /// Registers the compose pipeline: the shipped models (loaded on first use), the lead-sheet generator
    /// behind <see cref="ILeadSheetGenerator"/> and the <see cref="TrackComposer"/>. Needs AddComposerRendering.
    /// </summary>
    public static IServiceCollection AddComposerStudio(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new ModelStore(configuration["Models:Directory"] ?? ModelStore.DefaultDirectory(configuration["COMPOSERBOT_HOME"])));
        services.AddSingleton<ILeadSheetGenerator>(sp =>
        {
            var store = sp.GetRequiredService<ModelStore>();
            return new NGramComposer(store.NGram, store.NGramSha256);
        });
        services.AddSingleton<TrackComposer>();
        return services;
    }
}
