namespace ComposerBot.Discord.Models;

/// <summary>A slash command as registered with <c>PUT /applications/{id}/commands</c>.</summary>
public sealed record ApplicationCommand
{
    public required string Name { get; init; }

    public required string Description { get; init; }

    public int Type { get; init; } = 1;

    public IReadOnlyList<ApplicationCommandOption>? Options { get; init; }

    /// <summary>
    /// Permissions a member needs (a decimal bit set), for admin-only commands. Discord's spec takes it as an
    /// integer in requests and gives it back as a string: it is written as a number and read as either.
    /// </summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(PermissionBitsConverter))]
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

/// <summary>A permission bit set: written as a JSON integer, read from an integer or a decimal string.</summary>
public sealed class PermissionBitsConverter : System.Text.Json.Serialization.JsonConverter<string?>
{
    public override string? Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) => reader.TokenType switch
    {
        System.Text.Json.JsonTokenType.Number => reader.GetUInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
        System.Text.Json.JsonTokenType.String => reader.GetString(),
        System.Text.Json.JsonTokenType.Null => null,
        _ => throw new System.Text.Json.JsonException("a permission bit set must be an integer or a decimal string"),
    };

    public override void Write(System.Text.Json.Utf8JsonWriter writer, string? value, System.Text.Json.JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else if (ulong.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bits))
        {
            writer.WriteNumberValue(bits);
        }
        else
        {
            throw new System.Text.Json.JsonException($"'{value}' is not a permission bit set");
        }
    }
}
