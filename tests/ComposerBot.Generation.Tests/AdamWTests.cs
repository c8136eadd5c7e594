using ComposerBot.Generation.Neural;
using ComposerBot.Generation.Neural.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ComposerBot.Generation.Tests;

[Collection(SerialTorch.Name)]
public class AdamWTests
{
    [Theory]
    [InlineData(0.01)]
    [InlineData(0.0)]
    public void It_moves_the_weights_exactly_as_torchsharps_adamw_and_adam_do(double decay)
    {
        // The reference: TorchSharp's own optimisers (PyTorch's algorithm), which this one replaces only because
        // they hand libtorch Scalars that nothing holds. Same operations, same order: the same bits.
        using var ours = TinyModels.Random(4);
        using var theirs = TinyModels.Random(4);
        ours.train();
        theirs.train();
        using var mine = new AdamW(ours.parameters(), 1e-3, 0.9, 0.95, 1e-8, decay);
        using var reference = decay > 0
            ? (optim.Optimizer)optim.AdamW(theirs.parameters(), 1e-3, 0.9, 0.95, 1e-8, decay)
            : optim.Adam(theirs.parameters(), 1e-3, 0.9, 0.95, 1e-8);
        var random = new Random(3);
        for (var step = 0; step < 20; step++)
        {
            var ids = Enumerable.Range(0, 2 * 24).Select(_ => (long)random.Next(1, TinyModels.Vocabulary)).ToArray();
            using var scope = NewDisposeScope();
            var tokens = tensor(ids).view(2, 24);
            manual_seed(step); // the same dropout masks
            var loss = ours.Forward(tokens).square().mean();
            mine.ZeroGrad();
            loss.backward();
            mine.Step();
            manual_seed(step);
            var referenceLoss = theirs.Forward(tokens).square().mean();
            reference.zero_grad();
            referenceLoss.backward();
            reference.step();
        }

        Assert.Equal(TinyModels.Weights(theirs), TinyModels.Weights(ours));
        using var untouched = TinyModels.Random(4);
        Assert.NotEqual(TinyModels.Weights(untouched), TinyModels.Weights(ours));
    }

    [Fact]
    public void Its_moments_saved_and_loaded_continue_the_run_exactly()
    {
        using var straight = TinyModels.Random(5);
        using var resumed = TinyModels.Random(5);
        using var first = new AdamW(straight.parameters(), 1e-2, weightDecay: 0.1);
        using var second = new AdamW(resumed.parameters(), 1e-2, weightDecay: 0.1);
        using var tokens = tensor(Enumerable.Range(1, 24).Select(i => (long)i).ToArray()).view(1, 24);
        void Step(MusicTransformer model, AdamW optimizer)
        {
            using var scope = NewDisposeScope();
            var loss = model.Forward(tokens).square().mean();
            optimizer.ZeroGrad();
            loss.backward();
            optimizer.Step();
        }

        Step(straight, first);
        Step(resumed, second);
        using var saved = new MemoryStream();
        first.Save(new BinaryWriter(saved));
        using var restarted = new AdamW(resumed.parameters(), 1e-2, weightDecay: 0.1);
        saved.Position = 0;
        restarted.Load(new BinaryReader(saved));
        Step(straight, first);
        Step(resumed, restarted);
        Assert.Equal(TinyModels.Weights(straight), TinyModels.Weights(resumed));

        saved.Position = 0;
        using var other = new AdamW(straight.parameters().Take(3), 1e-2);
        Assert.Throws<InvalidDataException>(() => other.Load(new BinaryReader(saved)));
    }
}
