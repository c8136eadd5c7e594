using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace ComposerBot.Discord.Tests;

/// <summary>
/// The stand-in gateway keeps Discord's gateway rules: a raw WebSocket client breaks each one and gets
/// Discord's close code (the gateway documentation's table, API v10); the real client never breaks one.
/// </summary>
public sealed class StandInGatewayRulesTests : IAsyncLifetime
{
    private const string Token = StandInDiscord.Token;
    private StandInDiscord _discord = null!;

    public async Task InitializeAsync() => _discord = await StandInDiscord.StartAsync();

    public async Task DisposeAsync() => await _discord.DisposeAsync();

    private static string Identify(string fields, string token = Token) => $$$"""{"op":2,"d":{"token":"{{{token}}}","properties":{"os":"linux","browser":"t","device":"t"}{{{fields}}}}}""";

    public static TheoryData<int, string> BrokenFrames => new()
    {
        { 4002, "this is not json" },
        { 4002, """{"op":"1","d":null}""" },
        { 4002, "[1,2,3]" },
        { 4001, """{"op":99,"d":null}""" },
        { 4001, """{"op":10,"d":{}}""" }, // Hello is the server's to send
        { 4003, """{"op":3,"d":{"since":null,"activities":[],"status":"online","afk":false}}""" },
        { 4003, """{"op":8,"d":{"guild_id":"1","query":"","limit":0}}""" },
        { 4004, Identify(""","intents":0""", token: "not-the-token") },
        { 4010, Identify(""","intents":0,"shard":[2,2]""") },
        { 4010, Identify(""","intents":0,"shard":[0,0]""") },
        { 4013, Identify("") },
        { 4013, Identify(""","intents":"all" """) },
        { 4013, Identify(""","intents":1073741824""") },
        { 4014, Identify(""","intents":32768""") }, // MESSAGE_CONTENT, privileged and not granted
        { 4014, Identify(""","intents":2""") }, // GUILD_MEMBERS
    };

    [Theory]
    [MemberData(nameof(BrokenFrames))]
    public async Task A_frame_that_breaks_a_rule_closes_the_connection_with_discords_code(int code, string frame)
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, frame);
        Assert.Equal(code, await CloseCodeAsync(socket));
        Assert.Equal([code], _discord.Gateway.RuleCloses);
    }

    [Fact]
    public async Task Heartbeats_before_identifying_are_allowed_and_a_second_identify_is_closed_with_4005()
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, """{"op":1,"d":null}""");
        Assert.Equal(11, (await ReceiveAsync(socket)).GetProperty("op").GetInt32());
        await SendAsync(socket, Identify(""","intents":1"""));
        Assert.Equal("READY", (await ReceiveAsync(socket)).GetProperty("t").GetString());
        await SendAsync(socket, Identify(""","intents":1"""));
        Assert.Equal(4005, await CloseCodeAsync(socket));
    }

    [Fact]
    public async Task A_resume_from_a_sequence_never_sent_is_closed_with_4007()
    {
        using var first = await ConnectAsync();
        await SendAsync(first, Identify(""","intents":0"""));
        var session = (await ReceiveAsync(first)).GetProperty("d").GetProperty("session_id").GetString();
        using var second = await ConnectAsync();
        await SendAsync(second, $$$"""{"op":6,"d":{"token":"{{{Token}}}","session_id":"{{{session}}}","seq":999}}""");
        Assert.Equal(4007, await CloseCodeAsync(second));
    }

    [Fact]
    public async Task An_unsharded_identify_where_sharding_is_required_is_closed_with_4011()
    {
        _discord.Gateway.RequiredShards = 2;
        using var socket = await ConnectAsync();
        await SendAsync(socket, Identify(""","intents":0"""));
        Assert.Equal(4011, await CloseCodeAsync(socket));
    }

    [Fact]
    public async Task Sends_over_the_limit_are_closed_with_4008()
    {
        _discord.Gateway.SendLimit = 3;
        using var socket = await ConnectAsync();
        for (var i = 0; i < 4 && socket.State == WebSocketState.Open; i++)
        {
            await SendAsync(socket, """{"op":1,"d":null}""");
        }

        Assert.Equal(4008, await CloseCodeAsync(socket));
        Assert.Equal(1, _discord.Gateway.Violations);
    }

    [Fact]
    public async Task A_connection_without_heartbeats_times_out_with_4009()
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, Identify(""","intents":0"""));
        Assert.Equal(4009, await CloseCodeAsync(socket, TimeSpan.FromSeconds(20)));
    }

    private async Task<ClientWebSocket> ConnectAsync()
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(_discord.Gateway.Url, CancellationToken.None);
        Assert.Equal(10, (await ReceiveAsync(socket)).GetProperty("op").GetInt32()); // Hello
        return socket;
    }

    private static Task SendAsync(ClientWebSocket socket, string frame) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket)
    {
        var buffer = new byte[65536];
        var result = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(WebSocketMessageType.Text, result.MessageType);
        return JsonDocument.Parse(buffer.AsMemory(0, result.Count)).RootElement.Clone();
    }

    /// <summary>Reads until the server closes; its close code.</summary>
    private static async Task<int> CloseCodeAsync(ClientWebSocket socket, TimeSpan? patience = null)
    {
        var buffer = new byte[65536];
        using var timeout = new CancellationTokenSource(patience ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (int)result.CloseStatus!.Value;
            }
        }
    }
}
