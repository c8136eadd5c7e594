using System.Reflection;
using System.Text.RegularExpressions;

namespace ComposerBot.Discord.Modules;

/// <summary>Finds the module method for a component's custom_id, with the segments its wildcards captured.</summary>
public sealed class ComponentRouter
{
    private readonly List<(Regex Pattern, MethodInfo Method)> _routes = [];

    /// <summary>Routes of the <see cref="ComponentInteractionAttribute"/> methods.</summary>
    public ComponentRouter(IEnumerable<Type> modules)
        : this(modules, m => m.GetCustomAttribute<ComponentInteractionAttribute>()?.Pattern)
    {
    }

    /// <summary>Routes of the methods whose pattern the selector finds (null: not a route).</summary>
    public ComponentRouter(IEnumerable<Type> modules, Func<MethodInfo, string?> patternOf)
    {
        foreach (var method in modules.SelectMany(m => m.GetMethods(BindingFlags.Public | BindingFlags.Instance)))
        {
            if (patternOf(method) is { } customIdPattern)
            {
                var pattern = "^" + string.Join("([^:]+)", customIdPattern.Split('*').Select(Regex.Escape)) + "$";
                var wildcards = customIdPattern.Count(c => c == '*');
                var parameters = method.GetParameters().Count(p => p.ParameterType == typeof(string));
                if (parameters < wildcards)
                {
                    throw new CommandDefinitionException($"component handler {method.DeclaringType?.Name}.{method.Name} captures {wildcards} segments of '{customIdPattern}' but takes {parameters} string parameters.");
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
