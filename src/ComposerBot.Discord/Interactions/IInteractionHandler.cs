using ComposerBot.Discord.Models;

namespace ComposerBot.Discord.Interactions;

/// <summary>What the bot does with an interaction that arrived over HTTP: the first response, at once.</summary>
public interface IInteractionHandler
{
    /// <summary>
    /// Returns the first response (a message, a deferral, choices, a modal). Called on the request: start
    /// long work elsewhere and answer within the 3 s window.
    /// </summary>
    Task<InteractionResponse> HandleAsync(InteractionContext context, CancellationToken cancellationToken);
}
