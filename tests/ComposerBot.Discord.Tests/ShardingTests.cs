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
    public async Task The_identify_limiter_spaces_each_rate_limit_key()
    {
        var limiter = new IdentifyLimiter(2, TimeSpan.FromMilliseconds(300), TimeProvider.System);
        var started = DateTimeOffset.UtcNow;
        var times = await Task.WhenAll(Enumerable.Range(0, 4).Select(async shard =>
        {
            await limiter.WaitTurnAsync(shard, CancellationToken.None);
            return (shard, DateTimeOffset.UtcNow - started);
        }));
        var at = times.ToDictionary(t => t.shard, t => t.Item2);
        Assert.True(at[2] - at[0] >= TimeSpan.FromMilliseconds(280) && at[3] - at[1] >= TimeSpan.FromMilliseconds(280), "a key identified twice in one interval");
        Assert.True(at[0] < TimeSpan.FromMilliseconds(250) && at[1] < TimeSpan.FromMilliseconds(250), "the first of each key waited");
    }

    [Fact]
    public async Task When_the_session_start_budget_is_spent_identifies_wait_for_its_reset()
    {
        var limiter = new IdentifyLimiter(4, TimeSpan.FromMilliseconds(1), TimeProvider.System, new SessionStartLimit(1000, 2, 500, 4));
        var started = DateTimeOffset.UtcNow;
        await limiter.WaitTurnAsync(0, CancellationToken.None);
        await limiter.WaitTurnAsync(1, CancellationToken.None);
        Assert.Equal(0, limiter.Remaining);
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromMilliseconds(300), "the budget's identifies waited");
        await limiter.WaitTurnAsync(2, CancellationToken.None);
        Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromMilliseconds(450), "an identify went past a spent budget");
        Assert.Equal(999, limiter.Remaining);
    }

    [Fact]
    public async Task A_loop_of_invalid_sessions_cannot_spend_more_identifies_than_discord_allows()
    {
        var gateway = _discord.Gateway;
        var sharded = new ShardedGatewayClient(new GatewayBot(gateway.Url.ToString(), 1, new SessionStartLimit(1000, 3, 86_400_000, 1)), StandInDiscord.Token, TimeProvider.System, NullLoggerFactory.Instance)
        {
            IdentifyInterval = TimeSpan.FromMilliseconds(1),
            Configure = o => o with { BackoffBase = TimeSpan.FromMilliseconds(5), InvalidSessionDelay = TimeSpan.FromMilliseconds(5) },
        };
        using var stop = new CancellationTokenSource();
        var run = sharded.RunAsync(stop.Token);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        var sent = 0;
        while (DateTime.UtcNow < deadline && sent < 10)
        {
            // Every session the client gets is declared invalid at once (op 9, d=false): it must identify anew.
            if (gateway.Identifies > sent)
            {
                sent = gateway.Identifies;
                await Task.Delay(50);
                await gateway.SendInvalidSessionAsync(resumable: false);
            }

            if (sent == 3)
            {
                await Task.Delay(1000);
                break;
            }

            await Task.Delay(10);
        }

        Assert.Equal(3, gateway.Identifies);
        Assert.False(run.IsCompleted);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Every_recommended_shard_connects_and_events_arrive_tagged_with_their_shard()
    {
        var gateway = _discord.Gateway;
        using var stop = new CancellationTokenSource();
        var (sharded, run) = await StartShardsAsync(3, TimeSpan.FromMilliseconds(400), stop.Token);

        var identified = gateway.IdentifiedShards.OrderBy(s => s.Shard).ToList();
        Assert.Equal([(0, 3), (1, 3), (2, 3)], identified.Select(s => (s.Shard, s.Count)));
        // Shards 0 and 2 share rate-limit key 0 (id % max_concurrency): whichever connects first identifies
        // first, the other an interval later. (The limiter's own spacing is checked above; here frames also
        // carry the stand-in's scheduling jitter.)
        Assert.True((identified[2].At - identified[0].At).Duration() >= TimeSpan.FromMilliseconds(250), "shards 0 and 2 identified within one interval");

        // Each shard has its own session at the stand-in: an event sent on a shard arrives tagged with it.
        await Task.Delay(100);
        for (var shard = 0; shard < 3; shard++)
        {
            await gateway.DispatchAsync("INTERACTION_CREATE", new JsonObject { ["id"] = $"x{shard}" }, shard);
            var received = await NextInteractionAsync(sharded);
            Assert.Equal((shard, $"x{shard}"), (received.Shard, received.Event.Data.GetProperty("id").GetString()));
        }

        Assert.Empty(gateway.RuleCloses); // our client kept every gateway rule

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task A_fatal_close_on_one_shard_stops_every_shard_and_comes_out_of_the_run()
    {
        var gateway = _discord.Gateway;
        using var stop = new CancellationTokenSource();
        var (sharded, run) = await StartShardsAsync(2, TimeSpan.FromMilliseconds(50), stop.Token);

        await Task.Delay(100);
        await gateway.CloseAsync(4014); // disallowed intents: no retry can help
        var error = await Assert.ThrowsAsync<GatewayClosedException>(() => run.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.Contains("4014", error.Message, StringComparison.Ordinal);
        async Task Drain()
        {
            await foreach (var _ in sharded.Events.ReadAllAsync())
            {
            }
        }

        await Drain().WaitAsync(TimeSpan.FromSeconds(5)); // the event stream ends, so its reader does not wait forever
    }

    [Fact]
    public async Task A_dropped_shard_resumes_its_own_session_and_gets_what_it_missed_while_the_others_run_on()
    {
        var gateway = _discord.Gateway;
        using var stop = new CancellationTokenSource();
        var (sharded, run) = await StartShardsAsync(2, TimeSpan.FromMilliseconds(50), stop.Token);
        await Task.Delay(100);
        var sessions = (gateway.SessionOf(0), gateway.SessionOf(1));
        Assert.NotEqual(sessions.Item1, sessions.Item2);

        gateway.Disconnect(1);
        await gateway.DispatchAsync("INTERACTION_CREATE", new JsonObject { ["id"] = "missed-by-1" }, 1);
        await gateway.DispatchAsync("INTERACTION_CREATE", new JsonObject { ["id"] = "live-on-0" }, 0);

        var arrived = new[] { await NextInteractionAsync(sharded), await NextInteractionAsync(sharded) }
            .Select(r => (r.Shard, r.Event.Data.GetProperty("id").GetString())).ToHashSet();
        Assert.Equal([(1, "missed-by-1"), (0, "live-on-0")], arrived);
        Assert.Equal(1, gateway.Resumes); // shard 1 resumed (its events replayed), nobody identified anew
        Assert.Equal(2, gateway.Identifies);
        Assert.Equal(sessions, (gateway.SessionOf(0), gateway.SessionOf(1)));
        Assert.Empty(gateway.RuleCloses);

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task A_client_that_spends_the_days_session_starts_is_refused_as_discord_does()
    {
        var gateway = _discord.Gateway;
        gateway.SessionStartTotal = 2;
        using var http = new HttpClient();
        var rest = new Rest.DiscordRestClient(http, new Rest.DiscordRestOptions { BaseAddress = _discord.BaseAddress, Token = StandInDiscord.Token }, TimeProvider.System);
        Assert.Equal(2, (await rest.GetGatewayBotAsync()).SessionStartLimit.Remaining);

        // A client that ignores the budget (no limiter) identifies again after each invalid session.
        var client = new DiscordGatewayClient(new GatewayOptions { Url = gateway.Url, Token = StandInDiscord.Token, BackoffBase = TimeSpan.FromMilliseconds(5), InvalidSessionDelay = TimeSpan.FromMilliseconds(5) }, TimeProvider.System, NullLogger<DiscordGatewayClient>.Instance);
        using var stop = new CancellationTokenSource();
        var run = client.RunAsync(stop.Token);
        for (var seen = 1; seen <= 2; seen++)
        {
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (gateway.Identifies < seen)
            {
                Assert.True(DateTime.UtcNow < deadline, "no identify");
                await Task.Delay(10);
            }

            await Task.Delay(50);
            await gateway.SendInvalidSessionAsync(resumable: false);
        }

        // The third identify is past the budget: Discord resets the token, and authentication fails for good.
        var closed = await Assert.ThrowsAsync<GatewayClosedException>(() => run.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.Contains("4004", closed.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await rest.GetGatewayBotAsync()).SessionStartLimit.Remaining);
    }

    private static async Task<(int Shard, GatewayDispatch Event)> NextInteractionAsync(ShardedGatewayClient sharded)
    {
        (int Shard, GatewayDispatch Event) received;
        do
        {
            received = await sharded.Events.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));
        }
        while (received.Event.Name != "INTERACTION_CREATE");
        return received;
    }

    /// <summary>Runs <paramref name="shards"/> shards against the stand-in (two identify keys) until every one has identified.</summary>
    private async Task<(ShardedGatewayClient Sharded, Task Run)> StartShardsAsync(int shards, TimeSpan identifyInterval, CancellationToken cancellationToken)
    {
        var gateway = _discord.Gateway;
        var sharded = new ShardedGatewayClient(new GatewayBot(gateway.Url.ToString(), shards, new SessionStartLimit(1000, 1000, 0, 2)), StandInDiscord.Token, TimeProvider.System, NullLoggerFactory.Instance)
        {
            IdentifyInterval = identifyInterval,
            Configure = o => o with { BackoffBase = TimeSpan.FromMilliseconds(20) },
        };
        var run = sharded.RunAsync(cancellationToken);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (gateway.IdentifiedShards.Count < shards)
        {
            Assert.True(DateTime.UtcNow < deadline, "not every shard identified");
            await Task.Delay(10, cancellationToken);
        }

        return (sharded, run);
    }
}
