using System.Text.Json.Serialization;

namespace ComposerBot.Evaluation;

[JsonSerializable(typeof(Dictionary<string, double>))]
internal sealed partial class EvaluationJsonContext : JsonSerializerContext;
