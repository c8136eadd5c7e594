using System.Text.Json;

namespace ComposerBot.Discord.Models;

/// <summary>An interaction as Discord sends it (gateway INTERACTION_CREATE or the HTTP endpoint).</summary>
public sealed record Interaction
{
    public required string Id { get; init; }

    public required string ApplicationId { get; init; }

    public required InteractionType Type { get; init; }

    public InteractionData? Data { get; init; }

    public string? GuildId { get; init; }

    public string? ChannelId { get; init; }

    public GuildMember? Member { get; init; }

    public DiscordUser? User { get; init; }

    public required string Token { get; init; }

    public int Version { get; init; }

    public string? Locale { get; init; }

    /// <summary>The largest file this interaction's responses may carry, in bytes.</summary>
    public long? AttachmentSizeLimit { get; init; }

    /// <summary>The user who acted: the member's user in guilds, the user in DMs.</summary>
    public DiscordUser? Invoker => Member?.User ?? User;
}

public sealed record InteractionData
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    public int? Type { get; init; }

    public IReadOnlyList<InteractionDataOption>? Options { get; init; }

    public string? CustomId { get; init; }

    public int? ComponentType { get; init; }

    public IReadOnlyList<string>? Values { get; init; }

    public JsonElement? Resolved { get; init; }

    /// <summary>A modal submission's rows of text inputs, with their values.</summary>
    public IReadOnlyList<MessageComponent>? Components { get; init; }
}

public sealed record InteractionDataOption
{
    public required string Name { get; init; }

    public ApplicationCommandOptionType Type { get; init; }

    public JsonElement? Value { get; init; }

    public IReadOnlyList<InteractionDataOption>? Options { get; init; }

    public bool? Focused { get; init; }
}

public sealed record DiscordUser
{
    public required string Id { get; init; }

    public string? Username { get; init; }

    public string? GlobalName { get; init; }
}

public sealed record GuildMember
{
    public DiscordUser? User { get; init; }

    public string? Nick { get; init; }

    public string? Permissions { get; init; }
}
