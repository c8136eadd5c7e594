using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ComposerBot.Studio;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(Receipt))]
[JsonSerializable(typeof(Kits.KitReceipt))]
public sealed partial class StudioJsonContext : JsonSerializerContext
{
    /// <summary>Receipts are read by people too: keep quotes and apostrophes as they are.</summary>
    private static readonly JsonSerializerOptions ReadableOptions = new()
    {
        TypeInfoResolver = new StudioJsonContext(),
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions CompactOptions = new(ReadableOptions) { WriteIndented = false };

    public static string Serialize(Receipt receipt) => JsonSerializer.Serialize(receipt, ReadableOptions.GetTypeInfo(typeof(Receipt)));

    /// <summary>One line, in the record's field order: the form a receipt's signature covers.</summary>
    public static string SerializeCompact(Receipt receipt) => JsonSerializer.Serialize(receipt, CompactOptions.GetTypeInfo(typeof(Receipt)));

    public static string Serialize(Kits.KitReceipt receipt) => JsonSerializer.Serialize(receipt, ReadableOptions.GetTypeInfo(typeof(Kits.KitReceipt)));

    public static Kits.KitReceipt DeserializeKit(string json) =>
        (Kits.KitReceipt?)JsonSerializer.Deserialize(json, ReadableOptions.GetTypeInfo(typeof(Kits.KitReceipt))) ?? throw new JsonException("the kit receipt is empty");

    public static Receipt Deserialize(string json) =>
        (Receipt?)JsonSerializer.Deserialize(json, ReadableOptions.GetTypeInfo(typeof(Receipt))) ?? throw new JsonException("the receipt is empty");
}
