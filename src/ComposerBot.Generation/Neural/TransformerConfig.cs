using System.Text.Json.Serialization;

namespace ComposerBot.Generation.Neural;

/// <summary>The shape of a <see cref="MusicTransformer"/>: saved beside its weights, so a file says what it holds.</summary>
public sealed record TransformerConfig(
    [property: JsonPropertyName("vocabulary")] int Vocabulary,
    [property: JsonPropertyName("model_dim")] int ModelDim = 256,
    [property: JsonPropertyName("layers")] int Layers = 4,
    [property: JsonPropertyName("heads")] int Heads = 4,
    [property: JsonPropertyName("feed_forward_dim")] int FeedForwardDim = 1024,
    [property: JsonPropertyName("context")] int Context = 1024,
    [property: JsonPropertyName("dropout")] double Dropout = 0.1)
{
    [JsonIgnore]
    public int HeadDim => ModelDim / Heads;

    /// <summary>Parameters: tied embedding/output, per layer attention + MLP + two norms, a final norm.</summary>
    [JsonIgnore]
    public long ParameterCount =>
        ((long)Vocabulary * ModelDim)
        + (Layers * ((4L * ModelDim * ModelDim) + (4L * ModelDim) + (2L * ModelDim * FeedForwardDim) + FeedForwardDim + ModelDim + (4L * ModelDim)))
        + (2L * ModelDim);

    /// <summary>Throws on a shape the model cannot take, with the reason.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Vocabulary, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(Layers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Heads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Context, 16);
        ArgumentOutOfRangeException.ThrowIfLessThan(FeedForwardDim, 1);
        if (ModelDim % Heads != 0 || HeadDim % 2 != 0)
        {
            throw new ArgumentException($"model_dim {ModelDim} must split into {Heads} heads of an even size (rotary positions).");
        }

        if (Dropout is < 0 or >= 1)
        {
            throw new ArgumentException($"dropout {Dropout} must be in [0, 1).");
        }
    }
}
