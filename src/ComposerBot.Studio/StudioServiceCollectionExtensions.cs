using ComposerBot.Composition;
using ComposerBot.Generation.Neural;
using ComposerBot.Generation.NGram;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ComposerBot.Studio;

public static class StudioServiceCollectionExtensions
{
    /// <summary>
    /// Registers the compose pipeline: the shipped models (loaded on first use), the lead-sheet generators in
    /// order of preference (the neural composer when shipped and chosen, the n-gram baseline for what it
    /// cannot write) and the <see cref="TrackComposer"/>. Needs AddComposerRendering.
    /// </summary>
    public static IServiceCollection AddComposerStudio(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ComposerOptions>().Bind(configuration.GetSection(ComposerOptions.Section))
            .Validate(o => o.Generator is "auto" or "model" or "ngram", "Composer:Generator must be auto, model or ngram.")
            .Validate(o => o.Threads is >= 0 and <= 256, "Composer:Threads must be 0 (one per core) to 256.")
            .Validate(o => o.OriginalityThreshold >= 1, "Composer:OriginalityThreshold must be at least 1 interval.")
            .Validate(o => o.OriginalityAttempts is >= 1 and <= 20, "Composer:OriginalityAttempts must be 1-20.")
            .Validate(o => o.Candidates is >= 1 and <= 16, "Composer:Candidates must be 1-16.")
            .Validate(o => o.ConcurrentCandidates is >= 0 and <= 16, "Composer:ConcurrentCandidates must be 0 (two where there are cores to spare) to 16.")
            .ValidateOnStart();
        services.AddSingleton(_ => new ModelStore(configuration["Models:Directory"] ?? ModelStore.DefaultDirectory(configuration["COMPOSERBOT_HOME"])));
        services.AddSingleton<IReadOnlyList<ILeadSheetGenerator>>(sp =>
        {
            var store = sp.GetRequiredService<ModelStore>();
            var options = sp.GetRequiredService<IOptions<ComposerOptions>>().Value;
            var useModel = options.Generator == "model" || (options.Generator == "auto" && store.HasNeural);
            if (!useModel)
            {
                return [new NGramComposer(store.NGram, store.NGramSha256)];
            }

            var (model, manifest) = store.Neural(TorchRuntime.Resolve(options.Device));
            TorchRuntime.SetThreads(options.Threads);
            var sampling = new SamplingOptions { Calibration = store.CalibrationFor(manifest.WeightsSha256), Critic = store.CriticFor(manifest.WeightsSha256), Candidates = options.Candidates, ConcurrentCandidates = options.ResolvedConcurrentCandidates };
            return [new NeuralComposer(model, manifest.WeightsSha256, sampling, store.FormsIfAny), new DeferredGenerator("ngram", () => new NGramComposer(store.NGram, store.NGramSha256))];
        });
        services.AddSingleton(_ => new ReceiptSigner(SigningKeyPath(configuration)));
        services.AddSingleton<TrackComposer>();
        services.AddSingleton<Kits.KitComposer>();
        services.AddSingleton(_ => new Rendering.Fingerprints.AudioProbe());
        services.AddSingleton(sp => new Lazy<TrackComposer>(sp.GetRequiredService<TrackComposer>));
        services.AddSingleton<TrackVerifier>();
        return services;
    }

    /// <summary>Where this installation's signing key is: Composer:SigningKey, else <see cref="DefaultSigningKey"/>.</summary>
    public static string SigningKeyPath(IConfiguration configuration) =>
        configuration[$"{ComposerOptions.Section}:SigningKey"] is { Length: > 0 } key ? key : DefaultSigningKey(configuration);

    /// <summary>The installation's key: signing-key in the data folder (Jobs:DataDirectory, else data/ in the app's home).</summary>
    public static string DefaultSigningKey(IConfiguration configuration) =>
        Path.Combine(configuration["Jobs:DataDirectory"] is { Length: > 0 } data ? data : Path.Combine(configuration["COMPOSERBOT_HOME"] ?? AppContext.BaseDirectory, "data"), "signing-key");
}
