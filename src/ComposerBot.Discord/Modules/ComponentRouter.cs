using System.Reflection;
using System.Text.RegularExpressions;

namespace ComposerBot.Discord.Modules;

/// <summary>Finds the module method for a component's custom_id, with the segments its wildcards captured.</summary>
public sealed class ComponentRouter
{
    private readonly List<(Regex Pattern, MethodInfo Method)> _routes = [];

    public ComponentRouter(IEnumerable<Type> modules)
    {
        foreach (var method in modules.SelectMany(m => m.GetMethods(BindingFlags.Public | BindingFlags.Instance)))
        {
            if (method.GetCustomAttribute<ComponentInteractionAttribute>() is { } component)
            {
                var pattern = "^" + string.Join("([^:]+)", component.Pattern.Split('*').Select(Regex.Escape)) + "$";
                var wildcards = component.Pattern.Count(c => c == '*');
                var parameters = method.GetParameters().Count(p => p.ParameterType == typeof(string));
                if (parameters < wildcards)
                {
                    throw new CommandDefinitionException($"component handler {method.DeclaringType?.Name}.{method.Name} captures {wildcards} segments of '{component.Pattern}' but takes {parameters} string parameters.");
                }

                _routes.Add((new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)), method));
            }
        }
    }

    /// <summary>The handler and its captured segments, or null when no pattern matches.</summary>
    public (MethodInfo Method, IReadOnlyList<string> Captures)? Match(string customId)
    {
        foreach (var (pattern, method) in _routes)
        {
            var match = pattern.Match(customId);
            if (match.Success)
            {
                return (method, [.. match.Groups.Cast<Group>().Skip(1).Select(g => g.Value)]);
            }
        }

        return null;
    }
}
