using System.Text.Json.Nodes;
using ComposerBot.Discord.Gateway;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Logging.Abstractions;

namespace ComposerBot.Discord.Tests;

/// <summary>
/// Fuzzing the gateway client with 10,000 generated frames from the server: frames of every opcode with
/// data of any shape or missing, opcodes of the wrong type, dispatches with odd names and sequences, JSON of
/// random shape, truncated frames, text that is not JSON and frames of hundreds of kilobytes. After each
/// frame the stand-in sends a probe event in the client's session; the client must deliver it, so after
/// every frame it has kept its session, resumed it, or (told its session is invalid) identified anew,
/// and its run never ends.
/// </summary>
public sealed class GatewayFuzzTests : IAsyncLifetime
{
    private const int Frames = 10_000;
    private StandInDiscord _discord = null!;

    public async Task InitializeAsync() => _discord = await StandInDiscord.StartAsync();

    public async Task DisposeAsync() => await _discord.DisposeAsync();

    private static readonly string[] Keys = ["op", "d", "s", "t", "heartbeat_interval", "session_id", "resume_gateway_url", "v", "user", "id", "shard", "x"];

    private static readonly Gen<JsonNode?> Missing = Gen.Constant<JsonNode?>(null);

    /// <summary>An opcode: mostly those a server sends, sometimes client-only or unknown ones, sometimes not a number.</summary>
    private static readonly Gen<JsonNode?> Op = Gen.Frequency(
        (8, Gen.Elements(0, 1, 7, 9, 10, 11).Select(o => (JsonNode?)o)),
        (1, Gen.Elements(2, 3, 4, 6, 8, 31, 42, -1, int.MaxValue).Select(o => (JsonNode?)o)),
        (1, Gen.Elements<JsonNode?>("10", "0", 10.5, true, null, new JsonArray(0))));

    /// <summary>Data shaped like the op's own, or of any other shape.</summary>
    private static readonly Gen<JsonNode?> Data = Gen.Frequency(
        (2, FuzzJson.Value(2, Keys)),
        (1, Gen.Elements<JsonNode?>(true, false, null)),
        (1, FuzzJson.Scalar.Select(v => (JsonNode?)new JsonObject { ["heartbeat_interval"] = v?.DeepClone() })),
        (1, FuzzJson.Value(1, Keys).Select(v => (JsonNode?)new JsonObject { ["session_id"] = v?.DeepClone(), ["resume_gateway_url"] = "not a url", ["v"] = 10 })),
        (2, FuzzJson.Value(2, Keys).Select(v => (JsonNode?)new JsonObject { ["id"] = "1", ["type"] = v?.DeepClone(), ["token"] = "fuzz" })));

    /// <summary>A sequence the client must cope with: none, null, the wrong type, or one it has already seen.</summary>
    private static readonly Gen<JsonNode?> Sequence = Gen.Frequency(
        (3, Missing),
        (1, Gen.Elements<JsonNode?>(0, -1, 1, "3", 1.5, true, new JsonObject())));

    private static readonly Gen<JsonNode?> EventName = Gen.Frequency(
        (4, Gen.Elements<JsonNode?>("INTERACTION_CREATE", "READY", "RESUMED", "GUILD_CREATE", "MESSAGE_CREATE", "", "💥")),
        (1, FuzzJson.Scalar),
        (1, Missing));

    private static readonly Gen<string> Shaped =
        from op in Op
        from d in Gen.Frequency((4, Data), (1, Missing))
        from t in EventName
        from s in Sequence
        from drop in Gen.Elements(0, 1, 2, 3) // 1: no d at all, 2: no t, 3: no s
        select Frame(op, d, t, s, drop);

    private static string Frame(JsonNode? op, JsonNode? d, JsonNode? t, JsonNode? s, int drop)
    {
        var frame = new JsonObject { ["op"] = op?.DeepClone(), ["d"] = d?.DeepClone(), ["t"] = t?.DeepClone(), ["s"] = s?.DeepClone() };
        frame.Remove(drop switch { 1 => "d", 2 => "t", 3 => "s", _ => "none" });
        return frame.ToJsonString();
    }

    private static readonly Gen<string> Any = Gen.Frequency(
        (12, Shaped),
        (3, FuzzJson.Value(3, Keys).Select(v => v?.ToJsonString() ?? "null")),
        (2, Shaped.Zip(Gen.Choose(0, 99)).Select(p => p.Item1[..(p.Item1.Length * p.Item2 / 100)])),
        (1, ArbMap.Default.GeneratorFor<string>().Where(s => s is not null)),
        (1, Gen.Choose(10_000, 400_000).Select(n => $$$"""{"op":0,"t":"INTERACTION_CREATE","d":{"id":"1","x":"{{{new string('x', n)}}}"}}""")));

    [Fact]
    public async Task Ten_thousand_generated_frames_never_stop_the_client_and_its_session_always_comes_back()
    {
        var gateway = _discord.Gateway;
        gateway.SendLimit = int.MaxValue; // the rate rule has its own tests; here thousands of reconnects are expected
        var client = new DiscordGatewayClient(
            new GatewayOptions { Url = gateway.Url, Token = StandInDiscord.Token, BackoffBase = TimeSpan.FromMilliseconds(2), BackoffMax = TimeSpan.FromMilliseconds(50), InvalidSessionDelay = TimeSpan.FromMilliseconds(2) },
            TimeProvider.System,
            NullLogger<DiscordGatewayClient>.Instance);
        using var stop = new CancellationTokenSource();
        var run = client.RunAsync(stop.Token);

        var frames = Any.Sample(Frames, 30);
        Assert.Equal(Frames, frames.Length);
        await ProbeAsync(gateway, client, run, 0);
        for (var i = 0; i < frames.Length; i++)
        {
            await gateway.SendFrameAsync(frames[i]);
            await ProbeAsync(gateway, client, run, i + 1, frames[i]);
        }

        // Some frames were taken in stride, others cost a reconnect: both paths were exercised.
        Assert.InRange(client.Connections, Frames / 100, Frames);
        Assert.True(gateway.Resumes > Frames / 200, $"{gateway.Resumes} resumes");
        Assert.True(gateway.Identifies > 1, $"{gateway.Identifies} identifies");

        // Whatever the server sent, the client itself broke no gateway rule (a second Hello, say, must not
        // make it identify twice on one connection: 4005).
        Assert.Empty(gateway.RuleCloses);

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(15));
    }

    /// <summary>
    /// Sends a probe event in the client's session and waits for the client to pass it on. A probe sent
    /// into a session the frame made the client give up (op 9: identify anew) is lost with that session:
    /// it is sent again into the new one.
    /// </summary>
    private static async Task ProbeAsync(StandInGateway gateway, DiscordGatewayClient client, Task run, int n, string? after = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var session = gateway.SessionOf(0);
            await gateway.DispatchAsync("PROBE", new JsonObject { ["n"] = n });
            while (DateTime.UtcNow < deadline && gateway.SessionOf(0) == session)
            {
                using var slice = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
                try
                {
                    var e = await client.Events.ReadAsync(slice.Token);
                    if (e.Name == "PROBE" && e.Data.GetProperty("n").GetInt32() == n)
                    {
                        return;
                    }
                }
                catch (OperationCanceledException)
                {
                    Assert.False(run.IsCompleted, $"the client stopped after frame {n}: {after?[..Math.Min(after.Length, 300)]} ({run.Exception?.InnerException?.Message})");
                }
            }
        }

        Assert.Fail($"no session came back after frame {n}: {after?[..Math.Min(after.Length, 300)]}");
    }
}
