using ComposerBot.Generation.Neural;
using ComposerBot.TestSupport;

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
}
