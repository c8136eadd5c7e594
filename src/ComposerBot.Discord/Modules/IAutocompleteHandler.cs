using ComposerBot.Discord.Interactions;
using ComposerBot.Discord.Models;

namespace ComposerBot.Discord.Modules;

/// <summary>Suggests values for an option as the user types (at most 25 are shown).</summary>
public interface IAutocompleteHandler
{
    Task<IReadOnlyList<ApplicationCommandOptionChoice>> SuggestAsync(InteractionContext context, string current, CancellationToken cancellationToken);
}
