namespace ComposerBot.Discord.Models;

/// <summary>
/// A message or modal component: an action row (type 1) holding buttons (type 2) or one text input
/// (type 4), or a label (type 18) wrapping one <see cref="Component"/>. In a modal submission, text
/// inputs come back with their <see cref="Value"/>, inside rows or labels.
/// </summary>
public sealed record MessageComponent
{
    public const int ActionRowType = 1;
    public const int ButtonType = 2;
    public const int TextInputType = 4;

    public required int Type { get; init; }

    public IReadOnlyList<MessageComponent>? Components { get; init; }

    /// <summary>A label's one child (type 18 components wrap their input instead of listing it).</summary>
    public MessageComponent? Component { get; init; }

    /// <summary>Buttons: 1 primary, 2 secondary, 3 success, 4 danger, 5 link. Text inputs: 1 short, 2 paragraph.</summary>
    public int? Style { get; init; }

    public string? Label { get; init; }

    public string? CustomId { get; init; }

    public string? Url { get; init; }

    public bool? Disabled { get; init; }

    public string? Value { get; init; }

    public string? Placeholder { get; init; }

    public bool? Required { get; init; }

    public int? MinLength { get; init; }

    public int? MaxLength { get; init; }

    public static MessageComponent Row(params MessageComponent[] children) => new() { Type = ActionRowType, Components = children };

    public static MessageComponent Button(string label, string customId, int style = 2) => new() { Type = ButtonType, Label = label, CustomId = customId, Style = style };

    public static MessageComponent TextInput(string customId, string label, bool paragraph = false, string? value = null, bool required = true, int? maxLength = null) =>
        new() { Type = TextInputType, CustomId = customId, Label = label, Style = paragraph ? 2 : 1, Value = value, Required = required, MaxLength = maxLength };
}

/// <summary>A rich embed: title, description, fields and a colour.</summary>
public sealed record Embed
{
    public string? Title { get; init; }

    public string? Description { get; init; }

    public string? Url { get; init; }

    public int? Color { get; init; }

    public IReadOnlyList<EmbedField>? Fields { get; init; }

    public EmbedFooter? Footer { get; init; }
}

public sealed record EmbedField(string Name, string Value, bool? Inline = null);

public sealed record EmbedFooter(string Text);

/// <summary>A modal dialog: a title, a custom_id for its submission, and up to five rows of text inputs.</summary>
public sealed record Modal(string CustomId, string Title, IReadOnlyList<MessageComponent> Components);
