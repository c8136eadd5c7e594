using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace ComposerBot.Discord.Tests;

/// <summary>FsCheck generators of JSON of random shape: scalars of every type, arrays, objects with the given keys.</summary>
public static class FuzzJson
{
    public static readonly Gen<JsonNode?> Scalar = Gen.OneOf(
        Gen.Constant<JsonNode?>(null),
        ArbMap.Default.GeneratorFor<bool>().Select(b => (JsonNode?)JsonValue.Create(b)),
        ArbMap.Default.GeneratorFor<long>().Select(n => (JsonNode?)JsonValue.Create(n)),
        ArbMap.Default.GeneratorFor<double>().Where(double.IsFinite).Select(x => (JsonNode?)JsonValue.Create(x)),
        ArbMap.Default.GeneratorFor<string>().Where(s => s is not null).Select(s => (JsonNode?)JsonValue.Create(s)),
        Gen.Elements("echo", "ping", "2", "1", "", "compose", "99", "💥").Select(s => (JsonNode?)JsonValue.Create(s)),
        Gen.Elements(1, 2, 3, 4, 5, -1, int.MaxValue).Select(n => (JsonNode?)JsonValue.Create(n)));

    /// <summary>A value nested up to <paramref name="depth"/> levels, its objects keyed from <paramref name="keys"/>.</summary>
    public static Gen<JsonNode?> Value(int depth, string[] keys) => depth <= 0
        ? Scalar
        : Gen.Frequency(
            (4, Scalar),
            (1, Gen.ListOf(Value(depth - 1, keys)).Select(items => (JsonNode?)new JsonArray([.. items.Take(6).Select(i => i?.DeepClone())]))),
            (2, Gen.ListOf(Gen.Elements(keys).Zip(Value(depth - 1, keys))).Select(pairs => (JsonNode?)ObjectOf(pairs.Take(8)))));

    public static JsonObject ObjectOf(IEnumerable<(string Key, JsonNode? Value)> pairs)
    {
        var o = new JsonObject();
        foreach (var (key, value) in pairs)
        {
            o[key] = value?.DeepClone();
        }

        return o;
    }
}
