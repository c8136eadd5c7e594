using ComposerBot.Rendering.Encoding;
using ComposerBot.Rendering.Imaging;
using ComposerBot.Rendering.Synthesis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ComposerBot.Rendering;

public static class RenderingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the render pipeline. The SoundFont is resolved and loaded once, the first time a render
    /// needs it; <see cref="ValidateSoundFont"/> lets a host fail at start instead.
    /// </summary>
    public static IServiceCollection AddComposerRendering(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RenderingOptions>()
            .Bind(configuration.GetSection(RenderingOptions.SectionName))
            .PostConfigure(o =>
            {
                o.SoundFont ??= configuration["COMPOSERBOT_SOUNDFONT"];
                var home = configuration["COMPOSERBOT_HOME"] ?? AppContext.BaseDirectory;
                if (o.SoundFontDirectories.Count == 0)
                {
                    o.SoundFontDirectories.Add(Path.Combine(home, "soundfonts"));
                }
            })
            .Validate(o => o.MaxBytes > 0, "Rendering:MaxBytes must be positive.")
            .Validate(o => o.StreamAboveSeconds >= 0, "Rendering:StreamAboveSeconds must be 0 or more.")
            .Validate(o => o.Synth.SampleRate is >= 8000 and <= 192_000, "Rendering:Synth:SampleRate must be 8000-192000.");

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RenderingOptions>>().Value;
            return new FluidSynthEngine(SoundFontLocator.Resolve(options), options.Synth, sp.GetRequiredService<ILogger<FluidSynthEngine>>(), SoundFontLocator.Overlays(options));
        });
        services.AddSingleton(sp => new ScoreSynthesizer(sp.GetRequiredService<FluidSynthEngine>(), sp.GetRequiredService<IOptions<RenderingOptions>>().Value.Limits));
        services.AddSingleton(sp => new FfmpegEncoder(sp.GetRequiredService<IOptions<RenderingOptions>>().Value.FfmpegPath, sp.GetRequiredService<ILogger<FfmpegEncoder>>()));
        services.AddSingleton(sp => new StingerVideoEncoder(sp.GetRequiredService<IOptions<RenderingOptions>>().Value.FfmpegPath));
        services.AddSingleton(new PianoRollRenderer(new PianoRollStyle()));
        services.AddSingleton<RenderPipeline>();
        return services;
    }

    /// <summary>Resolves and loads the SoundFont now; a host calls this at start so a missing one fails at boot.</summary>
    public static void ValidateSoundFont(this IServiceProvider services) => services.GetRequiredService<FluidSynthEngine>();
}
