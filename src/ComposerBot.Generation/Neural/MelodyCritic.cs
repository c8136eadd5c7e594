using System.Text.Json;
using System.Text.Json.Serialization;
using ComposerBot.Music.IO;
using ComposerBot.Music.LeadSheets;
using ComposerBot.Music.Metrics;

namespace ComposerBot.Generation.Neural;

/// <summary>
/// A critic of whole melodies, fitted for one model's weights as compose samples them: a logistic regression
/// on <see cref="PieceFeatures"/> that tells the model's melodies (class 1) from human tunes of the corpus's
/// valid split (class 0), given those tunes' own feel, meter, key, bars and tempo. The sampler draws
/// another candidate while the best so far scores at or above the acceptance line (the median score of the
/// model's melodies of the request's feel at fitting), up to a limit, and keeps the one the critic finds
/// most human (<see cref="Score"/> lowest): a discriminator deciding which samples to keep, as in
/// discriminator rejection sampling (Azadi et al., ICLR 2019), with half the first melodies accepted.
/// <c>composerbot critic</c> fits it; the test split stays unseen. The file names the weights it was fitted
/// for and what it measured.
/// </summary>
public sealed record MelodyCritic(
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("model_sha256")] string ModelSha256,
    [property: JsonPropertyName("features")] IReadOnlyList<string> Features,
    [property: JsonPropertyName("mean")] IReadOnlyList<double> Mean,
    [property: JsonPropertyName("scale")] IReadOnlyList<double> Scale,
    [property: JsonPropertyName("weights")] IReadOnlyList<double> Weights,
    [property: JsonPropertyName("bias")] double Bias,
    [property: JsonPropertyName("accept_below")] double AcceptBelow,
    [property: JsonPropertyName("fit")] CriticFit Fit)
{
    /// <summary>
    /// Per feel, the median score of the model's melodies of that feel when the critic was fitted (feels with
    /// <see cref="MinPerFeel"/> melodies or more): the acceptance line for a request of that feel, so that about
    /// half its first melodies are kept whatever the feel; <see cref="AcceptBelow"/> for any other.
    /// </summary>
    [JsonPropertyName("accept_below_by_feel")]
    public IReadOnlyDictionary<string, double> AcceptBelowByFeel { get; init; } = new Dictionary<string, double>();

    /// <summary>The fewest melodies of a feel that give it its own acceptance line.</summary>
    public const int MinPerFeel = 20;

    public const string FileName = "melody-critic.json";
    public const string CurrentFormat = "composerbot-melody-critic-v1";

    /// <summary>A critic from a regression fitted on <see cref="PieceFeatures"/> (1: the model's melodies, 0: human tunes).</summary>
    public static MelodyCritic From(LogisticRegression regression, double acceptBelow, string modelSha256, CriticFit fit) =>
        new(CurrentFormat, modelSha256, PieceFeatures.Names, regression.Mean, regression.Scale, regression.Weights, regression.Bias, acceptBelow, fit);

    /// <summary>How machine-made the melody looks: the log-odds of the model's class (lower is more human).</summary>
    public double Score(LeadSheet sheet) => new LogisticRegression([.. Weights], Bias, [.. Mean], [.. Scale]).Score(PieceFeatures.Of(sheet));

    /// <summary>
    /// Whether a melody of this score and feel needs no further candidate: it looks more human than half the
    /// model's melodies (of that feel, where it has its own line) did when the critic was fitted.
    /// </summary>
    public bool Accepts(double score, string? feel) =>
        score < (feel is not null && AcceptBelowByFeel.TryGetValue(feel, out var line) ? line : AcceptBelow);

    /// <summary>Reads a critic file; null when it is missing or fitted for other weights.</summary>
    /// <exception cref="ModelLoadException">The file is not a critic of this version's features.</exception>
    public static MelodyCritic? LoadFor(string path, string modelSha256)
    {
        if (FittedFile.Read(path, CriticJsonContext.Default.MelodyCritic, "melody critic") is not { } critic)
        {
            return null;
        }

        var count = PieceFeatures.Names.Count;
        if (critic is not { Format: CurrentFormat, ModelSha256: not null, Fit: not null, Features: not null, AcceptBelowByFeel: not null, Mean.Count: var m, Scale.Count: var s, Weights.Count: var w }
            || m != count || s != count || w != count || critic.Scale.Any(x => !(x > 0)) || critic.Weights.Concat(critic.Mean).Concat(critic.AcceptBelowByFeel.Values).Append(critic.Bias).Append(critic.AcceptBelow).Any(x => !double.IsFinite(x)))
        {
            throw new ModelLoadException($"{path} is not a {CurrentFormat} melody critic.");
        }

        if (!critic.Features.SequenceEqual(PieceFeatures.Names))
        {
            throw new ModelLoadException($"{path} was fitted on other melody features than this version computes; fit it again with `composerbot critic`.");
        }

        return FittedFile.IfFittedFor(critic, critic.ModelSha256, modelSha256);
    }

    public void Save(string path) =>
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, this, CriticJsonContext.Default.MelodyCritic));
}

/// <summary>
/// How a critic was fitted: the split and number of human tunes (and as many model melodies), the seed, and
/// the 5-fold cross-validated accuracy with which a critic fitted the same way tells the two apart (none
/// where there are fewer than ten of each).
/// </summary>
public sealed record CriticFit(
    [property: JsonPropertyName("split")] string Split,
    [property: JsonPropertyName("pieces")] int Pieces,
    [property: JsonPropertyName("seed")] int Seed,
    [property: JsonPropertyName("cross_validated_accuracy")] double? CrossValidatedAccuracy,
    [property: JsonPropertyName("created")] DateTimeOffset Created);

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(MelodyCritic))]
internal sealed partial class CriticJsonContext : JsonSerializerContext;
