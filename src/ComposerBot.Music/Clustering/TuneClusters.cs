using System.Text.Json;
using System.Text.Json.Serialization;
using ComposerBot.Music.LeadSheets;

namespace ComposerBot.Music.Clustering;

/// <summary>One cluster: its name (the dominant tune type), the feel token it conditions on, and its centre.</summary>
public sealed record TuneCluster(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("feel")] string Feel,
    [property: JsonPropertyName("size")] int Size,
    [property: JsonPropertyName("dominant_share")] double DominantShare,
    [property: JsonPropertyName("types")] IReadOnlyDictionary<string, int> Types,
    [property: JsonPropertyName("centroid")] double[] Centroid);

/// <summary>
/// Tune-type clusters of the training melodies (k-means on standardised <see cref="TuneFeatures"/>), each
/// named by the tune type most of its members carry. Saved as models/clusters.json; a request's feel is
/// one of these names, and a new tune is assigned to the nearest centre.
/// </summary>
public sealed record TuneClusters(
    [property: JsonPropertyName("seed")] int Seed,
    [property: JsonPropertyName("feature_means")] double[] Means,
    [property: JsonPropertyName("feature_scales")] double[] Scales,
    [property: JsonPropertyName("clusters")] IReadOnlyList<TuneCluster> Clusters)
{
    public const string FileName = "clusters.json";

    /// <summary>Clusters <paramref name="tunes"/> (lead sheet, tune type; an empty type counts as unknown).</summary>
    public static (TuneClusters Model, int[] Assignments, double[][] Standardised) Fit(IReadOnlyList<(LeadSheet Sheet, string Type)> tunes, int k, int seed, Func<string, string> feelOf)
    {
        var usable = tunes.Select(t => (Features: TuneFeatures.Of(t.Sheet), Type: Normalise(t.Type))).Where(t => t.Features is not null).ToList();
        var dims = TuneFeatures.Length;
        var means = Enumerable.Range(0, dims).Select(d => usable.Average(t => t.Features![d])).ToArray();
        var scales = Enumerable.Range(0, dims).Select(d => Math.Sqrt(usable.Average(t => Math.Pow(t.Features![d] - means[d], 2))) is var s && s > 1e-9 ? s : 1).ToArray();
        var points = usable.Select(t => Standardise(t.Features!, means, scales)).ToList();
        var fit = KMeans.Fit(points, k, seed);

        var named = new List<TuneCluster>();
        for (var c = 0; c < k; c++)
        {
            var types = usable.Where((_, i) => fit.Assignments[i] == c).GroupBy(t => t.Type).ToDictionary(g => g.Key, g => g.Count());
            var known = types.Where(t => t.Key.Length > 0).OrderByDescending(t => t.Value).ThenBy(t => t.Key, StringComparer.Ordinal).ToList();
            var dominant = known.Count > 0 ? known[0].Key : "mixed";
            var size = types.Values.Sum();
            named.Add(new TuneCluster(dominant, feelOf(dominant), size, known.Count > 0 ? Math.Round((double)known[0].Value / Math.Max(1, known.Sum(t => t.Value)), 3) : 0, types.OrderBy(t => t.Key, StringComparer.Ordinal).ToDictionary(), fit.Centroids[c]));
        }

        // Two clusters with one dominant type: the larger keeps the name, the others are numbered.
        var clusters = named.Select((cluster, c) => (cluster, c)).OrderByDescending(x => x.cluster.Size).ToList();
        var seen = new Dictionary<string, int>();
        var renamed = new TuneCluster[k];
        foreach (var (cluster, c) in clusters)
        {
            seen[cluster.Name] = seen.GetValueOrDefault(cluster.Name) + 1;
            renamed[c] = seen[cluster.Name] == 1 ? cluster : cluster with { Name = $"{cluster.Name} {seen[cluster.Name]}" };
        }

        return (new TuneClusters(seed, means, scales, renamed), fit.Assignments, [.. points]);
    }

    /// <summary>The cluster called <paramref name="name"/> (case-insensitive), or null.</summary>
    public TuneCluster? Find(string name) => Clusters.FirstOrDefault(c => string.Equals(c.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The cluster that holds the most training tunes of a type no cluster is named after (a march lands
    /// among the reels); null when no training tune has that type.
    /// </summary>
    public TuneCluster? Nearest(string tuneType)
    {
        var type = tuneType.Trim().ToLowerInvariant();
        return Clusters.Where(c => c.Types.GetValueOrDefault(type) > 0).MaxBy(c => c.Types[type]);
    }

    /// <summary>The nearest cluster of a tune, or null when it is too short to measure.</summary>
    public TuneCluster? Assign(LeadSheet sheet) =>
        TuneFeatures.Of(sheet) is { } features ? Clusters[KMeans.Nearest(Standardise(features, Means, Scales), [.. Clusters.Select(c => c.Centroid)])] : null;

    public void Save(Stream stream) => JsonSerializer.Serialize(stream, this, ClusteringJsonContext.Default.TuneClusters);

    public static TuneClusters Load(Stream stream) =>
        JsonSerializer.Deserialize(stream, ClusteringJsonContext.Default.TuneClusters) ?? throw new InvalidDataException("empty clusters file");

    /// <summary>Metadata spellings of one type: "slipjig" is "slip jig", "double jig" a jig.</summary>
    public static string Normalise(string? type) => type?.Trim().ToLowerInvariant() switch
    {
        null or "" => "",
        "slipjig" => "slip jig",
        "double jig" or "single jig" => "jig",
        var t => t,
    };

    private static double[] Standardise(double[] features, double[] means, double[] scales) =>
        [.. features.Select((v, d) => (v - means[d]) / scales[d])];
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(TuneClusters))]
internal sealed partial class ClusteringJsonContext : JsonSerializerContext;
