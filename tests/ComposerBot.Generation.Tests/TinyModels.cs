using ComposerBot.Generation.Neural;
using ComposerBot.Generation.Neural.Training;
using ComposerBot.Generation.Tokens;
using ComposerBot.Music;
using ComposerBot.TestSupport;
using static TorchSharp.torch;

namespace ComposerBot.Generation.Tests;

/// <summary>Transformers small enough to train in seconds, and lead sheets to train them on.</summary>
internal static class TinyModels
{
    public static readonly int Vocabulary = new LeadSheetTokenizer().VocabularySize;

    public static TransformerConfig Config(int context = 128) => new(Vocabulary, ModelDim: 32, Layers: 2, Heads: 2, FeedForwardDim: 64, Context: context, Dropout: 0.1);

    public static MusicTransformer Random(int seed = 1, int context = 128)
    {
        manual_seed(seed);
        var model = new MusicTransformer(Config(context));
        model.eval();
        return model;
    }

    /// <summary>Scale walks in C major (4/4) and A minor (3/4): easy, regular material.</summary>
    public static List<TrainingPiece> Pieces(int count, int offset = 0) =>
        [.. Enumerable.Range(offset, count).Select(i => new TrainingPiece(
            i % 2 == 0
                ? Melodies.Quarters(Melodies.Walk(i, 16), new KeySignature(0, KeyMode.Major))
                : Melodies.Quarters(Melodies.Walk(i, 15, 69, [0, 2, 3, 5, 7, 8, 10]), KeySignature.FromTonic(9, KeyMode.Minor), beatsPerBar: 3),
            i % 2 == 0 ? "reel" : "waltz"))];

    public static TrainingOptions Options(string checkpoints, int epochs = 2) => new(Config(), checkpoints)
    {
        Epochs = epochs,
        TokensPerBatch = 512,
        WarmupSteps = 5,
        LearningRate = 3e-3,
        CheckpointEverySteps = 2,
        Device = "cpu",
    };

    public static float[] Weights(MusicTransformer model) =>
        [.. model.parameters().SelectMany(p => p.detach().cpu().data<float>().ToArray())];
}
