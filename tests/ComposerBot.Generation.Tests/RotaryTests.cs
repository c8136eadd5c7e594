using ComposerBot.Generation.Neural;
using static TorchSharp.torch;

namespace ComposerBot.Generation.Tests;

[Collection(SerialTorch.Name)]
public class RotaryTests
{
    [Fact]
    public void A_rotation_gives_the_very_floats_of_the_pairwise_formula()
    {
        // The textbook form: each (i, i + d/2) pair turned by position * 10000^(-i / (d/2)).
        const int headDim = 16, context = 64, half = headDim / 2;
        using var scope = NewDisposeScope();
        using var rotary = new Rotary(headDim, context);
        manual_seed(7);
        var x = randn(2, 3, 5, headDim);
        foreach (var offset in new long[] { 0, 17, context - 5 })
        {
            var frequencies = pow(tensor(10000.0), (-arange(0, half, dtype: ScalarType.Float32)).Over(half));
            var angles = outer(arange(offset, offset + 5, dtype: ScalarType.Float32), frequencies);
            var (cos, sin) = (angles.cos(), angles.sin());
            var (x1, x2) = (x.narrow(-1, 0, half), x.narrow(-1, half, half));
            var expected = cat([(x1 * cos) - (x2 * sin), (x1 * sin).Plus(x2 * cos)], -1);
            Assert.True(rotary.Apply(x, offset).eq(expected).all().item<bool>(), $"offset {offset}");
        }
    }
}
