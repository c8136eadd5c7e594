using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ComposerBot.Studio;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(Receipt))]
public sealed partial class StudioJsonContext : JsonSerializerContext
{
    /// <summary>Receipts are read by people too: keep quotes and apostrophes as they are.</summary>
    public static JsonSerializerOptions Readable { get; } = new(Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize(Receipt receipt) => JsonSerializer.Serialize(receipt, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<Receipt>)Readable.GetTypeInfo(typeof(Receipt)));
}
