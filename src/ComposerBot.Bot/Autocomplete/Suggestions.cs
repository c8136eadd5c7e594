using ComposerBot.Composition.Requests;
using ComposerBot.Discord.Interactions;
using ComposerBot.Discord.Models;
using ComposerBot.Discord.Modules;
using ComposerBot.Music;
using ComposerBot.Studio;

namespace ComposerBot.Bot.Autocomplete;

/// <summary>The styles, those that start with (then contain) what the user typed first.</summary>
public sealed class StyleSuggestions : IAutocompleteHandler
{
    public Task<IReadOnlyList<ApplicationCommandOptionChoice>> SuggestAsync(InteractionContext context, string current, CancellationToken cancellationToken) =>
        Task.FromResult(Suggest.Matching(Enum.GetValues<Style>().Select(StyleProfile.Name), current));
}

/// <summary>The 24 keys ("D minor", "F# major", ...), matched on what the user typed.</summary>
public sealed class KeySuggestions : IAutocompleteHandler
{
    public Task<IReadOnlyList<ApplicationCommandOptionChoice>> SuggestAsync(InteractionContext context, string current, CancellationToken cancellationToken) =>
        Task.FromResult(Suggest.Matching(Composition.Prompts.KeyNames.All, current));
}

/// <summary>The feels: the tune clusters the shipped models know.</summary>
public sealed class FeelSuggestions(ModelStore models) : IAutocompleteHandler
{
    public Task<IReadOnlyList<ApplicationCommandOptionChoice>> SuggestAsync(InteractionContext context, string current, CancellationToken cancellationToken) =>
        Task.FromResult(Suggest.Matching(models.HasClusters ? models.Clusters.Clusters.Select(c => c.Name) : ["jig", "reel", "waltz", "hornpipe", "chorale"], current));
}

internal static class Suggest
{
    /// <summary>Up to 25 choices: the prefix matches first, then the others that contain the text.</summary>
    public static IReadOnlyList<ApplicationCommandOptionChoice> Matching(IEnumerable<string> values, string current)
    {
        var typed = current.Trim();
        var all = values.ToList();
        var starts = all.Where(v => v.StartsWith(typed, StringComparison.OrdinalIgnoreCase));
        var contains = all.Where(v => !v.StartsWith(typed, StringComparison.OrdinalIgnoreCase) && v.Contains(typed, StringComparison.OrdinalIgnoreCase));
        return [.. starts.Concat(contains).Take(25).Select(v => new ApplicationCommandOptionChoice(v, v))];
    }
}
