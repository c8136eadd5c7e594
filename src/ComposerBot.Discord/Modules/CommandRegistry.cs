using System.Reflection;
using System.Text.RegularExpressions;
using ComposerBot.Discord.Models;

namespace ComposerBot.Discord.Modules;

/// <summary>
/// Builds the application commands to register (one bulk overwrite) from the modules' attributes, and
/// checks them against Discord's rules first, so a bad declaration fails at start rather than at Discord.
/// </summary>
public static partial class CommandRegistry
{
    private const int MaxOptions = 25;
    private const int MaxChoices = 25;

    /// <summary>Whether Discord is told the option is required: no default value, not nullable.</summary>
    public static bool IsRequired(System.Reflection.ParameterInfo parameter) =>
        !(parameter.HasDefaultValue || Nullable.GetUnderlyingType(parameter.ParameterType) is not null
            || new System.Reflection.NullabilityInfoContext().Create(parameter).WriteState == System.Reflection.NullabilityState.Nullable);

    public static IReadOnlyList<ApplicationCommand> Build(IEnumerable<Type> modules, CommandScope scope)
    {
        var commands = new List<ApplicationCommand>();
        foreach (var method in modules.SelectMany(m => m.GetMethods(BindingFlags.Public | BindingFlags.Instance)))
        {
            if (method.GetCustomAttribute<SlashCommandAttribute>() is not { } slash)
            {
                continue;
            }

            CheckName(slash.Name, $"command '{slash.Name}'");
            CheckDescription(slash.Description, $"command '{slash.Name}'");
            var options = method.GetParameters().Where(p => p.ParameterType != typeof(CancellationToken)).Select(p => Option(slash.Name, p)).ToList();
            if (options.Count > MaxOptions)
            {
                throw new CommandDefinitionException($"command '{slash.Name}' has {options.Count} options; Discord allows {MaxOptions}.");
            }

            if (commands.Any(c => c.Name == slash.Name))
            {
                throw new CommandDefinitionException($"command '{slash.Name}' is declared twice.");
            }

            commands.Add(new ApplicationCommand
            {
                Name = slash.Name,
                Description = slash.Description,
                // Discord wants required options first.
                Options = options.Count == 0 ? null : [.. options.OrderByDescending(o => o.Required == true)],
                DefaultMemberPermissions = slash.DefaultMemberPermissions,
                IntegrationTypes = scope == CommandScope.Global ? [0, 1] : null,
                Contexts = scope == CommandScope.Global ? [0, 1, 2] : null,
            });
        }

        return commands;
    }

    private static ApplicationCommandOption Option(string command, ParameterInfo parameter)
    {
        var summary = parameter.GetCustomAttribute<SummaryAttribute>();
        var name = summary?.Name ?? parameter.Name!.ToLowerInvariant();
        var where = $"option '{name}' of command '{command}'";
        CheckName(name, where);
        CheckDescription(summary?.Description ?? "", where);
        var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        var optionType = type switch
        {
            _ when type == typeof(string) || type.IsEnum => ApplicationCommandOptionType.String,
            _ when type == typeof(int) || type == typeof(long) => ApplicationCommandOptionType.Integer,
            _ when type == typeof(double) || type == typeof(float) => ApplicationCommandOptionType.Number,
            _ when type == typeof(bool) => ApplicationCommandOptionType.Boolean,
            _ when type == typeof(Attachment) => ApplicationCommandOptionType.Attachment,
            _ when type == typeof(ChannelOption) => ApplicationCommandOptionType.Channel,
            _ => throw new CommandDefinitionException($"{where} has type {type.Name}, which has no Discord option type."),
        };

        var choices = parameter.GetCustomAttributes<ChoiceAttribute>().Select(c => new ApplicationCommandOptionChoice(c.Name, c.Value)).ToList();
        if (type.IsEnum && choices.Count == 0)
        {
            choices = [.. Enum.GetNames(type).Select(n => new ApplicationCommandOptionChoice(n.ToLowerInvariant(), n.ToLowerInvariant()))];
        }

        var autocomplete = parameter.GetCustomAttribute<AutocompleteAttribute>() is not null;
        if (choices.Count > MaxChoices)
        {
            throw new CommandDefinitionException($"{where} has {choices.Count} choices; Discord allows {MaxChoices}.");
        }

        if (autocomplete && choices.Count > 0)
        {
            throw new CommandDefinitionException($"{where} cannot have both choices and autocomplete.");
        }

        var range = parameter.GetCustomAttribute<RangeAttribute>();
        return new ApplicationCommandOption
        {
            Type = optionType,
            Name = name,
            Description = summary!.Description,
            Required = IsRequired(parameter),
            Choices = choices.Count == 0 ? null : choices,
            MinValue = range?.Min,
            MaxValue = range?.Max,
            Autocomplete = autocomplete ? true : null,
        };
    }

    private static void CheckName(string name, string where)
    {
        if (!NamePattern().IsMatch(name) || name.Any(char.IsUpper))
        {
            throw new CommandDefinitionException($"{where}: the name must be 1-32 lowercase letters, digits, '-', '_' or '\\''.");
        }
    }

    private static void CheckDescription(string description, string where)
    {
        if (description.Length is < 1 or > 100)
        {
            throw new CommandDefinitionException($"{where}: the description must be 1-100 characters (give the parameter a [Summary]).");
        }
    }

    [GeneratedRegex(@"^[-_'\p{L}\p{N}]{1,32}$")]
    private static partial Regex NamePattern();
}
