using ComposerBot.Discord.Models;
using ComposerBot.Discord.Modules;
using ComposerBot.Discord.Rest;

namespace ComposerBot.Discord.Interactions;

/// <summary>
/// Serves the HTTP interactions endpoint with the modules: the handler runs in the background and its first
/// response (or the deferral made for it before the deadline) becomes the HTTP reply; edits and follow-ups
/// go over REST afterwards. Handlers outlive the request and are cancelled when the handler (a singleton of
/// the application's container) is disposed.
/// </summary>
public sealed class ModuleInteractionHandler(InteractionService service, DiscordRestClient rest, TimeProvider time) : IInteractionHandler, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    public async Task<InteractionResponse> HandleAsync(InteractionContext context, CancellationToken cancellationToken)
    {
        var first = new TaskCompletionSource<InteractionResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        var responder = new InteractionResponder(context, rest, time, first.TrySetResult);
        var run = Task.Run(() => service.ExecuteAsync(responder, _stopping.Token), CancellationToken.None);
        var done = await Task.WhenAny(first.Task, run).ConfigureAwait(false);
        if (done == first.Task)
        {
            return await first.Task.ConfigureAwait(false);
        }

        await run.ConfigureAwait(false);
        return first.Task.IsCompletedSuccessfully
            ? first.Task.Result
            : new InteractionResponse(InteractionCallbackType.ChannelMessageWithSource, new InteractionCallbackData { Content = "Nothing to say.", Flags = InteractionCallbackData.EphemeralFlag });
    }
}
