namespace ComposerBot.Discord.Modules;

/// <summary>Marks a module method as a slash command.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SlashCommandAttribute(string name, string description) : Attribute
{
    public string Name { get; } = name;

    public string Description { get; } = description;

    /// <summary>Permissions a member needs (as Discord's decimal string), e.g. "32" for Manage Server.</summary>
    public string? DefaultMemberPermissions { get; init; }
}

/// <summary>Names and describes a command parameter.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class SummaryAttribute(string description, string? name = null) : Attribute
{
    public string Description { get; } = description;

    public string? Name { get; } = name;
}

/// <summary>One allowed value of a parameter (up to 25).</summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = true)]
public sealed class ChoiceAttribute(string name, object value) : Attribute
{
    public string Name { get; } = name;

    public object Value { get; } = value;
}

/// <summary>Bounds of a numeric parameter.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class RangeAttribute(double min, double max) : Attribute
{
    public double Min { get; } = min;

    public double Max { get; } = max;
}

/// <summary>The parameter's values are suggested as the user types, by an <see cref="IAutocompleteHandler"/>.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class AutocompleteAttribute(Type handler) : Attribute
{
    public Type Handler { get; } = handler;
}

/// <summary>
/// Handles modal submissions whose custom_id matches the pattern: <c>*</c> segments fill the first string
/// parameters, and the remaining ones take the text inputs whose custom_id is the parameter's name.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ModalInteractionAttribute(string pattern) : Attribute
{
    public string Pattern { get; } = pattern;
}

/// <summary>
/// Handles message components whose custom_id matches the pattern; each <c>*</c> captures one
/// colon-free segment, passed to the method's parameters in order (<c>"reroll:*"</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ComponentInteractionAttribute(string pattern) : Attribute
{
    public string Pattern { get; } = pattern;
}
