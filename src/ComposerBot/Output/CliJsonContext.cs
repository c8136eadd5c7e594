using System.Text.Json.Serialization;

namespace ComposerBot.Cli.Output;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = false, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(RenderReport))]
[JsonSerializable(typeof(ScoreReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
