using ComposerBot.Generation.Neural;
using ComposerBot.TestSupport;
using TorchSharp;
using static TorchSharp.torch;

namespace ComposerBot.Generation.Tests;

[Collection(SerialTorch.Name)]
public class MusicTransformerTests
{
    [Fact]
    public void Libtorch_loads_on_this_system()
    {
        // Fails loudly when the build step that patches TorchSharp's glue library (Debian 12) is missing.
        TorchRuntime.EnsureLoaded();
        using var a = tensor(new float[] { 1, 2, 3, 4 });
        Assert.Equal(20f, (a + a).sum().item<float>());
        Assert.Equal(DeviceType.CPU, TorchRuntime.Resolve("cpu").type);
        Assert.Throws<ModelLoadException>(() => TorchRuntime.Resolve("tpu"));
    }

    [Fact]
    public void Decoding_with_the_kv_cache_gives_the_logits_of_a_full_forward_pass()
    {
        using var model = TinyModels.Random();
        var random = new Random(3);
        var ids = Enumerable.Range(0, 2 * 24).Select(_ => (long)random.Next(1, TinyModels.Vocabulary)).ToArray();
        using var noGrad = no_grad();
        using var tokens = tensor(ids).view(2, 24);
        using var full = model.Forward(tokens);
        using var cache = model.NewCache(2);
        var logits = model.Decode(tokens.narrow(1, 0, 5), cache);
        AssertClose(full.select(1, 4), logits);
        for (var t = 5; t < 24; t++)
        {
            logits = model.Decode(tokens.narrow(1, t, 1), cache);
            AssertClose(full.select(1, t), logits);
        }

        Assert.Equal(24, cache.Length);
    }

    [Fact]
    public void Its_logits_hold_while_the_garbage_collector_runs_all_the_time()
    {
        // Each residual sum and rotation hands libtorch a number; one that .NET no longer holds is freed by a
        // collection on another thread while libtorch reads it ("Expected false to be true ... toFloat").
        using var model = TinyModels.Random();
        var random = new Random(7);
        var ids = Enumerable.Range(0, 4 * 64).Select(_ => (long)random.Next(1, TinyModels.Vocabulary)).ToArray();
        using var noGrad = no_grad();
        using var tokens = tensor(ids).view(4, 64);
        var expected = model.Forward(tokens).data<float>().ToArray();
        using var storm = new CollectorStorm();
        for (var run = 0; run < 300; run++)
        {
            using var scope = NewDisposeScope();
            Assert.Equal(expected, model.Forward(tokens).data<float>().ToArray());
            using var cache = model.NewCache(4);
            model.Decode(tokens.narrow(1, 0, 60), cache);
            for (var t = 60; t < 64; t++)
            {
                AssertClose(tensor(expected).view(4, 64, -1).select(1, t), model.Decode(tokens.narrow(1, t, 1), cache));
            }
        }
    }

    [Fact]
    public void A_run_of_tokens_decoded_after_cached_ones_gives_the_logits_of_a_full_forward_pass()
    {
        // Runs of tokens the grammar forces go to the model in one step: each attends to the cache and to the
        // run's earlier tokens only (a mask aligned to the end, not to the start, of the keys).
        using var model = TinyModels.Random();
        var random = new Random(5);
        var ids = Enumerable.Range(0, 2 * 24).Select(_ => (long)random.Next(1, TinyModels.Vocabulary)).ToArray();
        using var noGrad = no_grad();
        using var tokens = tensor(ids).view(2, 24);
        using var full = model.Forward(tokens);
        using var cache = model.NewCache(2);
        model.Decode(tokens.narrow(1, 0, 5), cache);
        AssertClose(full.select(1, 5), model.Decode(tokens.narrow(1, 5, 1), cache));
        AssertClose(full.select(1, 12), model.Decode(tokens.narrow(1, 6, 7), cache));
        AssertClose(full.select(1, 23), model.Decode(tokens.narrow(1, 13, 11), cache));
        Assert.Equal(24, cache.Length);
    }

    [Fact]
    public void A_position_sees_nothing_after_it()
    {
        using var model = TinyModels.Random();
        using var noGrad = no_grad();
        var a = Enumerable.Range(1, 20).Select(i => (long)i).ToArray();
        var b = a.Select((t, i) => i >= 10 ? t + 100 : t).ToArray();
        using var la = model.Forward(tensor(a).unsqueeze(0));
        using var lb = model.Forward(tensor(b).unsqueeze(0));
        AssertClose(la.narrow(1, 0, 10), lb.narrow(1, 0, 10));
        Assert.True((la.narrow(1, 10, 10) - lb.narrow(1, 10, 10)).abs().max().item<float>() > 1e-3);
    }

    [Fact]
    public void Saved_models_load_with_the_same_outputs_and_damaged_ones_are_refused()
    {
        using var directory = new TempDirectory();
        using var model = TinyModels.Random(seed: 9);
        var manifest = ModelFiles.Save(model, directory.Path, training: null);
        Assert.Equal(ModelFiles.Sha256(directory.File(manifest.WeightsFile)), manifest.WeightsSha256);
        var (loaded, read) = ModelFiles.Load(ModelFiles.ManifestPath(directory.Path), CPU);
        using (loaded)
        {
            Assert.Equal(model.Config, read.Config);
            Assert.Equal(TinyModels.Weights(model), TinyModels.Weights(loaded));
        }

        var weights = directory.File(manifest.WeightsFile);
        var bytes = File.ReadAllBytes(weights);
        bytes[^10] ^= 0xFF;
        File.WriteAllBytes(weights, bytes);
        var error = Assert.Throws<ModelLoadException>(() => ModelFiles.Load(ModelFiles.ManifestPath(directory.Path), CPU));
        Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
        Assert.Throws<ModelLoadException>(() => ModelFiles.Load(directory.File("missing.json"), CPU));
    }

    [Fact]
    public void Bad_shapes_are_refused_with_the_reason()
    {
        Assert.Throws<ArgumentException>(() => new TransformerConfig(100, ModelDim: 30, Heads: 4).Validate());
        Assert.Throws<ArgumentException>(() => new TransformerConfig(100, Dropout: 1).Validate());
        using var model = TinyModels.Random(context: 16);
        Assert.Throws<ArgumentException>(() => model.Forward(zeros([1, 17], ScalarType.Int64)));
    }

    private static void AssertClose(Tensor expected, Tensor actual) =>
        Assert.True((expected - actual).abs().max().item<float>() < 1e-4, "logits differ");
}
