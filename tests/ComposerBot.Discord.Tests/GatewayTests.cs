using System.Text.Json.Nodes;
using ComposerBot.Discord.Gateway;
using Microsoft.Extensions.Logging.Abstractions;

namespace ComposerBot.Discord.Tests;

/// <summary>The gateway client against the stand-in gateway, through every fault it can inject.</summary>
public sealed class GatewayTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(string Name, string? Id)> _received = [];
    private StandInDiscord _discord = null!;
    private DiscordGatewayClient _client = null!;
    private Task _run = Task.CompletedTask;
    private Task _collect = Task.CompletedTask;

    public async Task InitializeAsync() => _discord = await StandInDiscord.StartAsync();

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAny(_run, Task.Delay(Patience));
        await _discord.DisposeAsync();
        _stop.Dispose();
    }

    private StandInGateway Gateway => _discord.Gateway;

    private void Start(string token = StandInDiscord.Token, int sendLimit = 120, TimeSpan? sendWindow = null)
    {
        _client = new DiscordGatewayClient(
            new GatewayOptions
            {
                Url = Gateway.Url, Token = token, BackoffBase = TimeSpan.FromMilliseconds(20), BackoffMax = TimeSpan.FromMilliseconds(200),
                InvalidSessionDelay = TimeSpan.FromMilliseconds(50), SendLimit = sendLimit, SendWindow = sendWindow ?? TimeSpan.FromSeconds(60),
            },
            TimeProvider.System,
            NullLogger<DiscordGatewayClient>.Instance);
        _run = _client.RunAsync(_stop.Token);
        _collect = Task.Run(async () =>
        {
            await foreach (var e in _client.Events.ReadAllAsync())
            {
                lock (_received)
                {
                    _received.Add((e.Name, e.Data.TryGetProperty("id", out var id) ? id.GetString() : null));
                }
            }
        });
    }

    private List<string?> Interactions()
    {
        lock (_received)
        {
            return [.. _received.Where(e => e.Name == "INTERACTION_CREATE").Select(e => e.Id)];
        }
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(10);
        }
    }

    private Task Interaction(string id) => Gateway.DispatchAsync("INTERACTION_CREATE", new JsonObject { ["id"] = id, ["type"] = 2, ["token"] = "t" });

    private async Task ReadyAsync()
    {
        Start();
        await Until(() => _client.SessionId is not null, "READY");
    }

    [Fact]
    public async Task It_identifies_with_intents_zero_gets_ready_heartbeats_and_receives_events()
    {
        await ReadyAsync();
        await Interaction("a");
        await Interaction("b");
        await Until(() => Interactions().Count == 2, "two interactions");
        await Until(() => Gateway.Heartbeats >= 2, "heartbeats");
        Assert.Equal(["a", "b"], Interactions());
        Assert.Equal(1, Gateway.Identifies);
        Assert.Equal("session-1", _client.SessionId);
    }

    public static TheoryData<string> ResumableFaults =>
        ["disconnect", "zombie", "op7", "op9-resumable", "close-4000", "close-4008", "garbage", "hello-without-d", "hello-with-a-string", "op-as-a-string", "array-frame", "no-op"];

    [Theory]
    [MemberData(nameof(ResumableFaults))]
    public async Task After_a_resumable_fault_it_resumes_and_no_event_is_lost_or_doubled(string fault)
    {
        await ReadyAsync();
        await Interaction("1");
        await Interaction("2");
        await Until(() => Interactions().Count == 2, "the first events");
        var connections = _client.Connections;
        switch (fault)
        {
            case "disconnect": Gateway.Disconnect(); break;
            case "zombie": Gateway.ZombieNextConnection = true; Gateway.Disconnect(); break;
            case "op7": await Gateway.SendReconnectAsync(); break;
            case "op9-resumable": await Gateway.SendInvalidSessionAsync(resumable: true); break;
            case "close-4000": await Gateway.CloseAsync(4000); break;
            case "close-4008": await Gateway.CloseAsync(4008); break;
            case "garbage": await Gateway.SendGarbageAsync(); break;

            // Valid JSON of shapes Discord does not send: the client must reconnect and resume, not stop.
            case "hello-without-d": await Gateway.SendFrameAsync("""{"op":10}"""); break;
            case "hello-with-a-string": await Gateway.SendFrameAsync("""{"op":10,"d":"soon"}"""); break;
            case "op-as-a-string": await Gateway.SendFrameAsync("""{"op":"10","d":{"heartbeat_interval":1000}}"""); break;
            case "array-frame": await Gateway.SendFrameAsync("[1,2,3]"); break;
            case "no-op": await Gateway.SendFrameAsync("""{"t":"INTERACTION_CREATE","d":{}}"""); break;
        }

        // Events that happen while the client is away are replayed when it resumes.
        await Interaction("3");
        await Interaction("4");
        await Until(() => Interactions().Count >= 4 && Gateway.Resumes >= (fault == "zombie" ? 2 : 1), "the resume");
        await Interaction("5");
        await Until(() => Interactions().Count >= 5, "an event after the resume");
        Assert.Equal(["1", "2", "3", "4", "5"], Interactions());
        Assert.Equal(1, Gateway.Identifies);
        Assert.True(_client.Connections > connections);
    }

    [Fact]
    public async Task A_dispatch_without_an_event_name_is_skipped_and_the_session_goes_on()
    {
        await ReadyAsync();
        await Interaction("1");
        await Until(() => Interactions().Count == 1, "the first event");
        var connections = _client.Connections;
        await Gateway.SendFrameAsync("""{"op":0,"s":null,"d":{"id":"x"}}""");
        await Interaction("2");
        await Until(() => Interactions().Count == 2, "the next event");
        Assert.Equal(["1", "2"], Interactions());
        Assert.Equal(connections, _client.Connections);
        Assert.False(_run.IsCompleted);
    }

    [Fact]
    public async Task A_ready_without_a_resume_url_resumes_at_the_gateway_it_started_from()
    {
        await ReadyAsync();
        await Gateway.SendFrameAsync("""{"op":0,"t":"READY","d":{"session_id":"session-1","v":10}}""");
        await Interaction("1");
        await Until(() => Interactions().Count == 1, "the first event");
        Gateway.Disconnect();
        await Interaction("2");
        await Until(() => Gateway.Resumes == 1 && Interactions().Count == 2, "the resume");
        Assert.Equal(["1", "2"], Interactions());
        Assert.False(_run.IsCompleted);
    }

    [Fact]
    public async Task A_replay_that_overlaps_what_was_received_is_passed_on_once()
    {
        await ReadyAsync();
        Gateway.ReplayOverlap = true;
        await Interaction("1");
        await Interaction("2");
        await Until(() => Interactions().Count == 2, "the first events");
        Gateway.Disconnect();
        await Interaction("3");
        await Until(() => Gateway.Resumes == 1 && Interactions().Count >= 3, "the resume");
        await Interaction("4");
        await Until(() => Interactions().Count >= 4, "an event after the resume");
        Assert.Equal(["1", "2", "3", "4"], Interactions());
    }

    [Fact]
    public async Task A_dispatch_whose_sequence_jumps_ahead_is_resumed_from_and_the_events_after_it_still_arrive()
    {
        // Sequences come from the server: after one that jumps, a resume names it and the events after it
        // are new ones, not replays of events already passed on.
        await ReadyAsync();
        await Interaction("1");
        await Gateway.SendFrameAsync("""{"op":0,"t":"INTERACTION_CREATE","s":500,"d":{"id":"jump","type":2,"token":"t"}}""");
        await Until(() => Interactions().Count == 2, "the event that jumps");
        Gateway.Disconnect();
        await Interaction("2");
        await Until(() => Gateway.Resumes == 1 && Interactions().Count >= 3, "the resume");
        await Interaction("3");
        await Until(() => Interactions().Count >= 4, "an event after the resume");
        Assert.Equal(["1", "jump", "2", "3"], Interactions());
        Assert.Empty(Gateway.RuleCloses);
        Assert.Equal(1, Gateway.Identifies);
    }

    [Theory]
    [InlineData("op9-not-resumable")]
    [InlineData("close-4007")]
    [InlineData("close-4009")]
    public async Task When_the_session_is_gone_it_identifies_anew(string fault)
    {
        await ReadyAsync();
        await Interaction("1");
        await Until(() => Interactions().Count == 1, "the first event");
        await (fault switch
        {
            "op9-not-resumable" => Gateway.SendInvalidSessionAsync(resumable: false),
            "close-4007" => Gateway.CloseAsync(4007),
            _ => Gateway.CloseAsync(4009),
        });
        await Until(() => Gateway.Identifies == 2 && _client.SessionId == "session-2", "a new session");
        await Interaction("2");
        await Until(() => Interactions().Count == 2, "an event in the new session");
        Assert.Equal(["1", "2"], Interactions());
        Assert.Equal(0, Gateway.Resumes);
    }

    [Fact]
    public async Task A_fatal_close_code_stops_the_client_without_reconnecting()
    {
        Start(token: "wrong");
        var ex = await Assert.ThrowsAsync<GatewayClosedException>(() => _run.WaitAsync(Patience));
        Assert.Equal(4004, ex.Code);
        Assert.Equal(1, _client.Connections);
    }

    [Fact]
    public async Task Sends_never_exceed_the_limit_the_gateway_advertises()
    {
        Gateway.SendLimit = 6;
        Gateway.SendWindow = TimeSpan.FromMilliseconds(600);
        Gateway.HeartbeatMs = 60_000;
        Start(sendLimit: 6, sendWindow: TimeSpan.FromMilliseconds(600));
        await Until(() => _client.SessionId is not null, "READY");
        await Task.WhenAll(Enumerable.Range(0, 15).Select(_ => _client.SendAsync(3, new JsonObject { ["status"] = "online" }, CancellationToken.None)));
        Assert.Equal(0, Gateway.Violations);
    }
}
