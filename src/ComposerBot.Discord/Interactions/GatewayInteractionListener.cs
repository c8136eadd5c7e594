using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using ComposerBot.Discord.Gateway;
using ComposerBot.Discord.Models;
using ComposerBot.Discord.Modules;
using ComposerBot.Discord.Rest;
using Microsoft.Extensions.Logging;

namespace ComposerBot.Discord.Interactions;

/// <summary>
/// Takes INTERACTION_CREATE events from the gateway and runs each through the modules on its own task,
/// clocked from the moment it was read; a malformed event is logged and skipped. On stop it waits for the
/// handlers in flight.
/// </summary>
public sealed partial class GatewayInteractionListener(InteractionService service, DiscordRestClient rest, TimeProvider time, ILogger<GatewayInteractionListener> logger)
{
    private readonly ConcurrentDictionary<Task, byte> _running = new();

    public async Task RunAsync(ChannelReader<GatewayDispatch> events, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var dispatch in events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (dispatch.Name != "INTERACTION_CREATE")
                {
                    continue;
                }

                var receivedAt = time.GetUtcNow();
                Interaction? interaction;
                try
                {
                    interaction = dispatch.Data.Deserialize(DiscordJsonContext.Default.Interaction);
                }
                catch (JsonException ex)
                {
                    LogMalformed(ex, dispatch.Sequence);
                    continue;
                }

                if (interaction is null)
                {
                    continue;
                }

                var responder = new InteractionResponder(new InteractionContext(interaction, receivedAt), rest, time);
                var task = Task.Run(() => service.ExecuteAsync(responder, cancellationToken), CancellationToken.None);
                _running[task] = 0;
                _ = task.ContinueWith(t => _running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        finally
        {
            await Task.WhenAll(_running.Keys).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped a malformed INTERACTION_CREATE (sequence {Sequence})")]
    private partial void LogMalformed(Exception exception, long sequence);
}
