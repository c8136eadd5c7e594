using System.Threading.Channels;
using ComposerBot.Discord.Gateway;
using ComposerBot.Discord.Interactions;
using ComposerBot.Discord.Rest;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ComposerBot.Bot;

/// <summary>
/// Connects to Discord's gateway with as many shards as Discord recommends and hands every interaction to
/// the command modules. Runs until the host stops.
/// </summary>
public sealed class DiscordGatewayService(DiscordRestClient rest, DiscordRestOptions options, GatewayInteractionListener listener, TimeProvider time, ILoggerFactory loggers) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var gateway = await rest.GetGatewayBotAsync(stoppingToken).ConfigureAwait(false);
        var client = new ShardedGatewayClient(gateway, options.Token, time, loggers);
        var events = Channel.CreateUnbounded<GatewayDispatch>(new UnboundedChannelOptions { SingleReader = true });
        var forward = Task.Run(async () =>
        {
            try
            {
                await foreach (var (_, dispatch) in client.Events.ReadAllAsync(stoppingToken).ConfigureAwait(false))
                {
                    await events.Writer.WriteAsync(dispatch, stoppingToken).ConfigureAwait(false);
                }
            }
            finally
            {
                events.Writer.TryComplete();
            }
        }, stoppingToken);
        await Task.WhenAll(client.RunAsync(stoppingToken), listener.RunAsync(events.Reader, stoppingToken), forward).ConfigureAwait(false);
    }
}
