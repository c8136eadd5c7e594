using System.Text.Json;

namespace ComposerBot.Discord.Gateway;

/// <summary>A dispatched event (op 0): its name, sequence number and data.</summary>
public sealed record GatewayDispatch(string Name, long Sequence, JsonElement Data);
