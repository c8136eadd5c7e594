using System.Threading.Channels;
using ComposerBot.Discord.Models;
using Microsoft.Extensions.Logging;

namespace ComposerBot.Discord.Gateway;

/// <summary>
/// Runs one <see cref="DiscordGatewayClient"/> per shard, as many as GET /gateway/bot recommends, whose
/// Identify sends share one <see cref="IdentifyLimiter"/> (max_concurrency keys, each once per 5 s), and
/// merges their events into one stream.
/// </summary>
public sealed class ShardedGatewayClient(GatewayBot gateway, string token, TimeProvider time, ILoggerFactory loggers)
{
    private readonly Channel<(int Shard, GatewayDispatch Event)> _events = Channel.CreateUnbounded<(int, GatewayDispatch)>();

    public ChannelReader<(int Shard, GatewayDispatch Event)> Events => _events.Reader;

    public int ShardCount => gateway.Shards;

    /// <summary>Options of one shard; tests and deployments may adjust them (timings, the URL).</summary>
    public Func<GatewayOptions, GatewayOptions> Configure { get; init; } = o => o;

    /// <summary>How often one rate-limit key may identify (5 s by Discord's rules).</summary>
    public TimeSpan IdentifyInterval { get; init; } = ShardPlan.IdentifyInterval;

    /// <summary>
    /// Runs every shard until cancelled. A shard that stops for good (a fatal close code: authentication
    /// failed, invalid shard, sharding required, intents) stops the others and its error comes out here,
    /// rather than the bot running on with part of its guilds unserved.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var limiter = new IdentifyLimiter(gateway.SessionStartLimit.MaxConcurrency, IdentifyInterval, time, gateway.SessionStartLimit);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var runs = new List<Task>();
        try
        {
            for (var shard = 0; shard < gateway.Shards; shard++)
            {
                var options = Configure(new GatewayOptions { Url = new Uri(gateway.Url), Token = token, ShardId = shard, ShardCount = gateway.Shards, IdentifyLimiter = limiter });
                var client = new DiscordGatewayClient(options, time, loggers.CreateLogger<DiscordGatewayClient>());
                runs.Add(client.RunAsync(stop.Token));
                runs.Add(ForwardAsync(shard, client, stop.Token));
            }

            var pending = new List<Task>(runs);
            while (pending.Count > 0)
            {
                var ended = await Task.WhenAny(pending).ConfigureAwait(false);
                pending.Remove(ended);
                if (ended.IsFaulted)
                {
                    await stop.CancelAsync().ConfigureAwait(false);
                    await Task.WhenAll(pending).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
                    await ended.ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    private async Task ForwardAsync(int shard, DiscordGatewayClient client, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var e in client.Events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await _events.Writer.WriteAsync((shard, e), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
