using ComposerBot.Composition;
using ComposerBot.Generation.Neural;
using ComposerBot.Music;
using ComposerBot.Music.Forms;
using ComposerBot.TestSupport;
using static TorchSharp.torch;

namespace ComposerBot.Generation.Tests;

/// <summary>
/// The managed decoder against libtorch's: the same logits up to rounding for every way sampling feeds tokens
/// (a prefix, single tokens, runs of forced ones, several rows, a cleared cache), and the same melodies
/// sampled from the shipped model.
/// </summary>
[Collection(SerialTorch.Name)]
public class CpuDecoderTests
{
    /// <summary>Feeds both decoders the same calls and holds each call's logits to each other.</summary>
    private static void AssertSameLogits(MusicTransformer model, int rows, IReadOnlyList<int> counts, int seed, bool cached = true)
    {
        var random = new Random(seed);
        using var torchSession = new TorchDecoder(model).Open(rows, cached);
        using var cpuSession = CpuDecoder.From(model).Open(rows, cached);
        foreach (var count in counts)
        {
            if (count == 0)
            {
                torchSession.Clear();
                cpuSession.Clear();
                continue;
            }

            var tokens = Enumerable.Range(0, rows * count).Select(_ => (long)random.Next(model.Config.Vocabulary)).ToArray();
            var expected = torchSession.Decode(tokens, count);
            var actual = cpuSession.Decode(tokens, count);
            Assert.Equal(torchSession.Length, cpuSession.Length);
            Assert.Equal(expected.Length, actual.Length);
            var scale = expected.Max(Math.Abs);
            var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
            Assert.True(worst <= 2e-5 * Math.Max(1, scale), $"after {cpuSession.Length} positions the logits differ by up to {worst} (largest {scale})");
        }
    }

    [Theory]
    [InlineData(1, new[] { 12, 1, 1, 3, 1, 5, 1 })]
    [InlineData(3, new[] { 7, 1, 2, 1, 1 })]
    [InlineData(2, new[] { 9, 1, 0, 20, 1, 1 })]
    public void Its_logits_are_libtorch_s_for_prefixes_single_tokens_runs_rows_and_a_cleared_cache(int rows, int[] counts)
    {
        using var model = TinyModels.Random(seed: rows);
        AssertSameLogits(model, rows, counts, seed: rows);
    }

    [Fact]
    public void Its_logits_are_libtorch_s_for_trained_weights_and_sizes_that_are_not_multiples_of_sixteen()
    {
        manual_seed(5);
        using var model = new MusicTransformer(new TransformerConfig(TinyModels.Vocabulary, ModelDim: 36, Layers: 2, Heads: 3, FeedForwardDim: 50, Context: 64));
        model.eval();
        AssertSameLogits(model, 2, [5, 1, 1, 4], seed: 3);
        using var trained = ModelFiles.Load(Path.Combine(RepositoryPaths.Models, "composer-transformer.json"), CPU).Model;
        AssertSameLogits(trained, 1, [24, 1, 1, 2, 1, 1, 1], seed: 4);
    }

    [Fact]
    public void Without_a_cache_each_call_is_a_whole_sequence()
    {
        using var model = TinyModels.Random(seed: 2);
        AssertSameLogits(model, 2, [6, 8, 3], seed: 9, cached: false);
        using var session = CpuDecoder.From(model).Open(1, cached: false);
        session.Decode([1, 2, 3], 3);
        Assert.Equal(0, session.Length);
    }

    [Fact]
    public void It_refuses_tokens_past_the_context_or_outside_the_vocabulary_or_not_one_count_per_row()
    {
        using var model = TinyModels.Random(context: 16);
        using var session = CpuDecoder.From(model).Open(2);
        Assert.Throws<ArgumentException>(() => session.Decode(new long[34], 17));
        Assert.Throws<ArgumentException>(() => session.Decode(new long[5], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => session.Decode([0, TinyModels.Vocabulary], 1));
        session.Decode(new long[32], 16);
        Assert.Throws<ArgumentException>(() => session.Decode(new long[2], 1));
    }

    [Fact]
    public void Compose_samples_a_model_on_the_processor_with_it()
    {
        using var model = TinyModels.Random();
        Assert.IsType<CpuDecoder>(ITokenDecoder.For(model));
        Assert.Equal(model.Config, ITokenDecoder.For(model).Config);
    }

    [Fact]
    public void It_keeps_the_weights_it_was_made_with()
    {
        using var model = TinyModels.Random(seed: 3);
        var decoder = CpuDecoder.From(model);
        using var before = decoder.Open(1);
        var logits = before.Decode([4, 5, 6], 3);
        using (no_grad())
        {
            foreach (var p in model.parameters())
            {
                p.add_(0.5f);
            }
        }

        using var after = decoder.Open(1);
        Assert.Equal(logits, after.Decode([4, 5, 6], 3));
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.1, 0.1124629160182849)]
    [InlineData(0.5, 0.5204998778130465)]
    [InlineData(1.0, 0.8427007929497149)]
    [InlineData(2.0, 0.9953222650189527)]
    [InlineData(2.5, 0.9995930479825550)]
    [InlineData(2.9, 0.9999589021219005)]
    [InlineData(3.5, 0.9999992569016276)]
    [InlineData(-1.5, -0.9661051464753108)]
    [InlineData(-6.0, -1.0)]
    public void The_reference_error_function_has_the_published_values(double z, double erf) =>
        Assert.Equal(erf, ReferenceErf.Of(z), 1e-12);

    [Fact]
    public void The_fitted_erfc_polynomial_gives_erf_to_within_1e_13()
    {
        for (var u = 0.0; u <= 8; u += 1.0 / 1024)
        {
            var t = 1 / (1 + (u / 2));
            var polynomial = DecoderKernels.ErfcPolynomial.Aggregate(0.0, (sum, c) => (sum * t) + c);
            var erf = 1 - (t * polynomial * Math.Exp(-u * u));
            Assert.True(Math.Abs(erf - ReferenceErf.Of(u)) < 1e-13, $"erf({u}): {erf} against {ReferenceErf.Of(u)}");
        }
    }

    [Fact]
    public void Its_gelu_is_x_times_the_normal_distribution_to_the_float_nearest()
    {
        var x = Enumerable.Range(-8000, 16001).Select(i => i / 1000f).Append(-30f).Append(30f).Append(1e-30f).ToArray();
        var expected = x.Select(v => (float)ReferenceErf.Gelu(v)).ToArray();
        DecoderKernels.Gelu(x);
        for (var i = 0; i < x.Length; i++)
        {
            Assert.True(Math.Abs(x[i] - expected[i]) <= Math.Max(1e-37, Math.Abs(expected[i]) * 1.2e-7), $"GELU at {i}: {x[i]} against {expected[i]}");
        }
    }

    [Fact]
    public void Its_gelu_gives_each_value_the_same_float_wherever_it_lies_in_the_span()
    {
        // Sixteen at a time and in the padded remainder are the same operations on each value.
        var random = new Random(5);
        var x = Enumerable.Range(0, 16 * 64).Select(_ => (float)((random.NextDouble() - 0.5) * 12)).ToArray();
        var alone = x.Select(v =>
        {
            var one = new[] { v };
            DecoderKernels.Gelu(one);
            return one[0];
        }).ToArray();
        foreach (var length in new[] { x.Length, 16 * 63 + 9, 16 * 5 + 8, 23, 7 })
        {
            var together = x[..length];
            DecoderKernels.Gelu(together);
            Assert.Equal(alone[..length], together);
        }
    }

    [Theory]
    [InlineData(32, 12)]
    [InlineData(48, 7)]
    [InlineData(20, 6)]
    public void A_row_s_linear_layer_gives_the_same_floats_alone_or_among_others(int inputs, int outputs)
    {
        var random = new Random(inputs);
        float Next() => (float)(random.NextDouble() - 0.5);
        var weight = Enumerable.Range(0, inputs * outputs).Select(_ => Next()).ToArray();
        var bias = Enumerable.Range(0, outputs).Select(_ => Next()).ToArray();
        var x = Enumerable.Range(0, 5 * inputs).Select(_ => Next()).ToArray();
        var together = new float[5 * outputs];
        DecoderKernels.Linear(x, 5, weight, bias, outputs, together);
        for (var r = 0; r < 5; r++)
        {
            var alone = new float[outputs];
            DecoderKernels.Linear(x.AsSpan(r * inputs, inputs), 1, weight, bias, outputs, alone);
            Assert.Equal(alone, together.AsSpan(r * outputs, outputs).ToArray());
            for (var j = 0; j < outputs; j++)
            {
                Assert.Equal(DecoderKernels.Dot(weight.AsSpan(j * inputs, inputs), x.AsSpan(r * inputs, inputs)) + bias[j], alone[j]);
                var exact = Enumerable.Range(0, inputs).Sum(i => (double)weight[(j * inputs) + i] * x[(r * inputs) + i]) + bias[j];
                Assert.Equal(exact, alone[j], 1e-5);
            }
        }
    }

    [Fact]
    public void Its_attention_sums_are_the_plain_softmax_and_weighted_sum()
    {
        var random = new Random(3);
        foreach (var (positions, width) in new[] { (1, 64), (7, 16), (37, 40), (130, 64), (5, 3) })
        {
            var scores = Enumerable.Range(0, positions).Select(_ => (float)((random.NextDouble() * 20) - 10)).ToArray();
            var values = Enumerable.Range(0, positions * width).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            var max = scores.Max() * 0.125;
            var weights = scores.Select(s => Math.Exp((s * 0.125) - max)).ToArray();
            var expected = Enumerable.Range(0, width).Select(i => Enumerable.Range(0, positions).Sum(p => weights[p] * values[(p * width) + i]) / weights.Sum()).ToArray();
            var total = DecoderKernels.Softmax(scores, 0.125f);
            var o = new float[width];
            DecoderKernels.WeightedSum(values, scores, o);
            DecoderKernels.Scale(o, 1 / total);
            Assert.Equal(weights.Sum(), total, 1e-4 * weights.Sum());
            Assert.All(o.Zip(expected), pair => Assert.Equal(pair.Second, pair.First, 1e-6));
        }
    }

    [Theory]
    [InlineData(64, 1)]
    [InlineData(64, 300)]
    [InlineData(128, 37)]
    [InlineData(200, 9)]
    [InlineData(40, 13)]
    public void Its_weighted_sum_adds_each_element_in_row_order_with_fused_multiply_adds_in_either_register_width(int width, int positions)
    {
        // The 512-bit registers (where the processor has them) and the 256-bit ones give the same floats: each
        // element's fused multiply-adds, row by row, as one at a time gives them.
        var random = new Random(width + positions);
        var values = Enumerable.Range(0, positions * width).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var weights = Enumerable.Range(0, positions).Select(_ => (float)random.NextDouble()).ToArray();
        var expected = Enumerable.Range(0, width).Select(i =>
        {
            var sum = 0f;
            for (var p = 0; p < positions; p++)
            {
                sum = MathF.FusedMultiplyAdd(values[(p * width) + i], weights[p], sum);
            }

            return sum;
        }).ToArray();
        foreach (var wide in new[] { false, true })
        {
            var o = new float[width];
            DecoderKernels.WeightedSum(values, weights, o, wide);
            Assert.Equal(expected, o);
        }
    }

    [Fact]
    public void The_shipped_model_samples_the_same_melodies_through_it_as_through_libtorch()
    {
        using var model = ModelFiles.Load(Path.Combine(RepositoryPaths.Models, "composer-transformer.json"), CPU).Model;
        using var formsFile = File.OpenRead(Path.Combine(RepositoryPaths.Models, FormLibrary.FileName));
        var forms = FormLibrary.Load(formsFile);
        var specs = Enumerable.Range(0, 8).Select(i => new LeadSheetSpec(
            KeySignature.FromTonic((i * 5) % 12, i % 3 == 0 ? KeyMode.Minor : KeyMode.Major),
            new MeterChange(0, i % 4 == 1 ? 3 : i % 4 == 3 ? 6 : 4, i % 4 == 3 ? 8 : 4),
            8 + (i * 3),
            90 + (i * 10),
            Seed: 100 + i) { Feel = i % 2 == 0 ? "reel" : null }).ToList();
        var options = new SamplingOptions();
        var viaTorch = new NeuralComposer(new TorchDecoder(model), "shipped", options, forms).SampleTokens(specs);
        var viaCpu = new NeuralComposer(CpuDecoder.From(model), "shipped", options, forms).SampleTokens(specs);
        Assert.Equal(viaTorch, viaCpu);
        Assert.Equal(viaCpu, new NeuralComposer(model, "shipped", options, forms).SampleTokens(specs));
    }
}
