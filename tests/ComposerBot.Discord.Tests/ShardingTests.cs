using System.Text.Json.Nodes;
using ComposerBot.Discord.Gateway;
using ComposerBot.Discord.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace ComposerBot.Discord.Tests;

public sealed class ShardingTests : IAsyncLifetime
{
    private StandInDiscord _discord = null!;

    public async Task InitializeAsync() => _discord = await StandInDiscord.StartAsync();

    public async Task DisposeAsync() => await _discord.DisposeAsync();

    [Fact]
    public void A_guild_goes_to_the_shard_of_its_id_shifted_by_22() =>
        // 41771983423143937 >> 22 = 9959216934, and 9959216934 % 4 = 2.
        Assert.Equal(2, ShardPlan.ShardOf(41771983423143937, 4));

    [Fact]
    public void Shards_identify_in_waves_of_max_concurrency() =>
        Assert.Equal([[0, 1], [2, 3], [4]], ShardPlan.Waves(5, 2).Select(w => w.ToArray()));

    [Fact]
    public async Task Every_recommended_shard_connects_in_waves_and_events_arrive_tagged_with_their_shard()
    {
        var gateway = _discord.Gateway;
        var sharded = new ShardedGatewayClient(new GatewayBot(gateway.Url.ToString(), 3, new SessionStartLimit(1000, 1000, 0, 2)), StandInDiscord.Token, TimeProvider.System, NullLoggerFactory.Instance)
        {
            WaveInterval = TimeSpan.FromMilliseconds(400),
            Configure = o => o with { BackoffBase = TimeSpan.FromMilliseconds(20) },
        };
        using var stop = new CancellationTokenSource();
        var run = sharded.RunAsync(stop.Token);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (gateway.IdentifiedShards.Count < 3)
        {
            Assert.True(DateTime.UtcNow < deadline, "not every shard identified");
            await Task.Delay(10);
        }

        var identified = gateway.IdentifiedShards.OrderBy(s => s.Shard).ToList();
        Assert.Equal([(0, 3), (1, 3), (2, 3)], identified.Select(s => (s.Shard, s.Count)));
        Assert.True(identified[2].At - identified[0].At >= TimeSpan.FromMilliseconds(380), "the second wave did not wait for its turn");

        // The stand-in sends to its latest connection: the third shard's.
        await Task.Delay(100);
        await gateway.DispatchAsync("INTERACTION_CREATE", new JsonObject { ["id"] = "x" });
        (int Shard, GatewayDispatch Event) received;
        do
        {
            received = await sharded.Events.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));
        }
        while (received.Event.Name != "INTERACTION_CREATE");
        Assert.Equal(2, received.Shard);

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(15));
    }
}
