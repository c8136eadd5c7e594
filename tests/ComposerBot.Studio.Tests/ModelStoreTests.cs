using ComposerBot.Composition;
using ComposerBot.Generation.Neural;
using ComposerBot.Music;
using ComposerBot.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ComposerBot.Studio.Tests;

public sealed class ModelStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Compose_loads_the_tuned_composer_when_models_ships_one_and_the_prior_otherwise()
    {
        var store = new ModelStore(_dir.Path);
        Assert.False(store.HasNeural);
        Assert.Contains("the neural model is missing", Assert.Throws<ModelException>(() => store.Neural(TorchSharp.torch.CPU)).Message, StringComparison.Ordinal);

        File.WriteAllText(ModelFiles.ManifestPath(_dir.Path), "{}");
        Assert.True(store.HasNeural);
        Assert.Equal(ModelFiles.ManifestPath(_dir.Path), store.NeuralManifest);

        File.WriteAllText(ModelFiles.ManifestPath(_dir.Path, ModelStore.TunedName), "{}");
        Assert.Equal(Path.Combine(_dir.Path, "composer-tuned.json"), store.NeuralManifest);
    }

    [Fact]
    public void With_the_shipped_models_compose_writes_with_the_neural_model_and_keeps_the_ngram_behind_it()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Models:Directory"] = RepositoryPaths.Models }).Build();
        using var services = new ServiceCollection().AddLogging().AddComposerStudio(configuration).BuildServiceProvider();
        var generators = services.GetRequiredService<IReadOnlyList<ILeadSheetGenerator>>();
        Assert.Equal(["model", "ngram"], generators.Select(g => g.Name));

        // The fallback is read when first asked for: then it writes, and names its file's hash.
        var fallback = generators[1];
        var sheet = fallback.Generate(new LeadSheetSpec(new KeySignature(0, KeyMode.Major), new MeterChange(0, 4, 4), 4, 120, Seed: 2));
        Assert.Equal(4, sheet.Bars);
        Assert.Equal(ModelFiles.Sha256(Path.Combine(RepositoryPaths.Models, ModelStore.NGramFile)), fallback.ModelId);
    }
}
