using System.Threading.Channels;
using ComposerBot.Discord.Models;
using Microsoft.Extensions.Logging;

namespace ComposerBot.Discord.Gateway;

/// <summary>
/// Runs one <see cref="DiscordGatewayClient"/> per shard, as many as GET /gateway/bot recommends, starting
/// them in waves of max_concurrency every 5 seconds, and merges their events into one stream.
/// </summary>
public sealed class ShardedGatewayClient(GatewayBot gateway, string token, TimeProvider time, ILoggerFactory loggers)
{
    private readonly Channel<(int Shard, GatewayDispatch Event)> _events = Channel.CreateUnbounded<(int, GatewayDispatch)>();

    public ChannelReader<(int Shard, GatewayDispatch Event)> Events => _events.Reader;

    public int ShardCount => gateway.Shards;

    /// <summary>Options of one shard; tests and deployments may adjust them (timings, the URL).</summary>
    public Func<GatewayOptions, GatewayOptions> Configure { get; init; } = o => o;

    /// <summary>The gap between identify waves (5 s by Discord's rules).</summary>
    public TimeSpan WaveInterval { get; init; } = ShardPlan.WaveInterval;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var runs = new List<Task>();
        var waves = ShardPlan.Waves(gateway.Shards, gateway.SessionStartLimit.MaxConcurrency);
        try
        {
            for (var w = 0; w < waves.Count; w++)
            {
                if (w > 0)
                {
                    await Task.Delay(WaveInterval, time, cancellationToken).ConfigureAwait(false);
                }

                foreach (var shard in waves[w])
                {
                    var options = Configure(new GatewayOptions { Url = new Uri(gateway.Url), Token = token, ShardId = shard, ShardCount = gateway.Shards });
                    var client = new DiscordGatewayClient(options, time, loggers.CreateLogger<DiscordGatewayClient>());
                    runs.Add(client.RunAsync(cancellationToken));
                    runs.Add(ForwardAsync(shard, client, cancellationToken));
                }
            }

            await Task.WhenAll(runs).ConfigureAwait(false);
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
