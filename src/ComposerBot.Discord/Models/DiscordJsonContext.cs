using System.Text.Json.Serialization;

namespace ComposerBot.Discord.Models;

/// <summary>Discord's JSON: snake_case names, nulls left out, enums as their numbers.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Interaction))]
[JsonSerializable(typeof(InteractionResponse))]
[JsonSerializable(typeof(List<ApplicationCommand>))]
[JsonSerializable(typeof(MessagePayload))]
[JsonSerializable(typeof(GatewayBot))]
[JsonSerializable(typeof(DiscordApplication))]
[JsonSerializable(typeof(DiscordError))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(double))]
public sealed partial class DiscordJsonContext : JsonSerializerContext;
