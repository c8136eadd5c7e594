using System.Text.Json.Serialization;

namespace ComposerBot.Jobs;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(JobOrder))]
[JsonSerializable(typeof(JobOrigin))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(JobView))]
[JsonSerializable(typeof(IReadOnlyList<JobView>))]
public sealed partial class JobsJsonContext : JsonSerializerContext;
