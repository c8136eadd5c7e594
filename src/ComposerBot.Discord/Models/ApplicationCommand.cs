namespace ComposerBot.Discord.Models;

/// <summary>A slash command as registered with <c>PUT /applications/{id}/commands</c>.</summary>
public sealed record ApplicationCommand
{
    public required string Name { get; init; }

    public required string Description { get; init; }

    public int Type { get; init; } = 1;

    public IReadOnlyList<ApplicationCommandOption>? Options { get; init; }

    /// <summary>Permissions a member needs (as a decimal string), for admin-only commands.</summary>
    public string? DefaultMemberPermissions { get; init; }

    /// <summary>0 guild install, 1 user install (global commands only).</summary>
    public IReadOnlyList<int>? IntegrationTypes { get; init; }

    /// <summary>0 guild, 1 bot DM, 2 private channel (global commands only).</summary>
    public IReadOnlyList<int>? Contexts { get; init; }
}

public sealed record ApplicationCommandOption
{
    public required ApplicationCommandOptionType Type { get; init; }

    public required string Name { get; init; }

    public required string Description { get; init; }

    public bool? Required { get; init; }

    public IReadOnlyList<ApplicationCommandOptionChoice>? Choices { get; init; }

    public double? MinValue { get; init; }

    public double? MaxValue { get; init; }

    public bool? Autocomplete { get; init; }
}

public sealed record ApplicationCommandOptionChoice(string Name, object Value);
