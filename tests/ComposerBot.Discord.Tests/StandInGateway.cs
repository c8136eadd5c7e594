using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ComposerBot.Discord.Tests;

/// <summary>
/// The stand-in's gateway: Hello, heartbeat ACKs, Identify to READY, Resume replaying what the client
/// missed then RESUMED, and the faults a real gateway produces: dropped connections, zombies (no ACKs),
/// op 7, op 9, close codes, garbage frames. It keeps Discord's gateway rules and closes with Discord's code
/// when a client breaks one: 4002 an undecodable frame, 4001 an unknown opcode, 4003 a payload before
/// identifying, 4004 a bad token, 4005 a second Identify, 4007 a resume from a sequence never sent, 4008
/// sends over the limit, 4009 no heartbeat for a while, 4010 an invalid shard, 4011 sharding required,
/// 4013 invalid intents, 4014 privileged intents not allowed. It counts every break.
/// </summary>
public sealed class StandInGateway
{
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Queue<DateTimeOffset> _received = new();

    /// <summary>Each authenticated connection and the shard it speaks for.</summary>
    private readonly Dictionary<WebSocket, int> _authenticated = [];

    /// <summary>Each shard's session: its id, its events so far (for replay), and the connection it lives on.</summary>
    private readonly Dictionary<int, ShardSession> _shards = [];
    private WebSocket? _live;
    private int _sessions;

    private sealed class ShardSession
    {
        public string? Id { get; set; }

        public long Seq { get; set; }

        public List<(long Seq, string Json)> Log { get; } = [];

        public WebSocket? Live { get; set; }

        public bool LiveSession { get; set; }
    }

    private ShardSession Shard(int shard) => _shards.TryGetValue(shard, out var session) ? session : _shards[shard] = new ShardSession();

    /// <summary>Identifies Discord allows a token in a day (session_start_limit.total); one more closes with 4004 (Discord resets the token).</summary>
    public int SessionStartTotal { get; set; } = 1000;

    /// <summary>session_start_limit.max_concurrency advertised by GET /gateway/bot.</summary>
    public int MaxConcurrency { get; set; } = 1;

    public Uri Url { get; set; } = null!;

    /// <summary>Long enough that a loaded test machine does not look like a zombie; the zombie test needs only two beats.</summary>
    public int HeartbeatMs { get; set; } = 1000;

    public int Identifies;

    /// <summary>Each Identify's shard id and when it came.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<(int Shard, int Count, DateTimeOffset At)> IdentifiedShards { get; } = new();
    public int Resumes;
    public int Heartbeats;
    public int Violations;

    /// <summary>The next connection answers no heartbeats.</summary>
    public bool ZombieNextConnection { get; set; }

    /// <summary>Resumes replay from one event earlier than asked, as a sloppy server might.</summary>
    public bool ReplayOverlap { get; set; }

    public int SendLimit { get; set; } = 120;

    /// <summary>
    /// The window the stand-in advertises; it enforces 80% of it, since frames reach it with scheduling
    /// jitter. A client with no limiter still breaks it at once.
    /// </summary>
    public TimeSpan SendWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The opcodes a client may send (Discord's gateway documentation, API v10).</summary>
    private static readonly int[] ClientOpcodes = [1, 2, 3, 4, 6, 8, 31];

    /// <summary>Every intent bit Discord defines (0-25 less the unused 17-19, 22 and 23), and the privileged ones.</summary>
    private const long KnownIntents = 0b11_0011_0001_1111_1111_1111_1111, PrivilegedIntents = (1 << 1) | (1 << 8) | (1 << 15);

    /// <summary>Close codes the stand-in sent because a client broke a rule (4001-4014), in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<int> RuleCloses { get; } = new();

    /// <summary>A client that identifies without sharding, or with fewer shards, is closed with 4011.</summary>
    public int RequiredShards { get; set; } = 1;

    /// <summary>Privileged intents this application has been granted (none: asking for one closes with 4014).</summary>
    public long AllowedPrivilegedIntents { get; set; }

    /// <summary>Heartbeat intervals without a heartbeat before the session times out (4009; never under 5 s).</summary>
    public double HeartbeatTimeoutIntervals { get; set; } = 5;

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var zombie = ZombieNextConnection;
        ZombieNextConnection = false;
        lock (_lock)
        {
            _live = socket;
        }

        await SendAsync(socket, new JsonObject { ["op"] = 10, ["d"] = new JsonObject { ["heartbeat_interval"] = HeartbeatMs } });
        var buffer = new byte[16384];
        using var timeout = new CancellationTokenSource();
        var lastHeartbeat = DateTimeOffset.UtcNow;
        var watchdog = WatchHeartbeatsAsync(socket, () => lastHeartbeat, timeout.Token);
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                if (!CountSend())
                {
                    await BreakAsync(socket, 4008, "You are being rate limited.");
                    break;
                }

                var (op, frame) = Decode(buffer.AsMemory(0, result.Count));
                using (frame)
                {
                    bool authenticated;
                    lock (_lock)
                    {
                        authenticated = _authenticated.ContainsKey(socket);
                    }

                    var rule = op switch
                    {
                        null => (4002, "Decode error."),
                        _ when !ClientOpcodes.Contains(op.Value) => (4001, "Unknown opcode."),
                        2 or 6 when authenticated => (4005, "Already authenticated."),
                        not (1 or 2 or 6) when !authenticated => (4003, "Not authenticated."),
                        _ => (0, ""),
                    };
                    if (rule.Item1 != 0)
                    {
                        await BreakAsync(socket, rule.Item1, rule.Item2);
                        break;
                    }

                    var d = frame!.RootElement.TryGetProperty("d", out var data) ? data : default;
                    switch (op)
                    {
                        case 1:
                            lastHeartbeat = DateTimeOffset.UtcNow;
                            Interlocked.Increment(ref Heartbeats);
                            if (!zombie)
                            {
                                await SendAsync(socket, new JsonObject { ["op"] = 11 });
                            }

                            break;
                        case 2 or 6:
                            if (await (op == 2 ? IdentifyAsync(socket, d) : ResumeAsync(socket, d)) is { } shard)
                            {
                                lock (_lock)
                                {
                                    _authenticated[socket] = shard;
                                }
                            }

                            break;
                    }

                    if (op is 2 or 6 && socket.State != WebSocketState.Open)
                    {
                        break;
                    }
                }
            }
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            await timeout.CancelAsync();
            await watchdog;
            lock (_lock)
            {
                _authenticated.Remove(socket);
            }
        }
    }

    /// <summary>The frame's opcode and document, or no opcode for a frame Discord could not decode.</summary>
    private static (int? Op, JsonDocument? Frame) Decode(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            var frame = JsonDocument.Parse(bytes);
            if (frame.RootElement.ValueKind == JsonValueKind.Object && frame.RootElement.TryGetProperty("op", out var op) && op.ValueKind == JsonValueKind.Number && op.TryGetInt32(out var code))
            {
                return (code, frame);
            }

            frame.Dispose();
        }
        catch (JsonException)
        {
        }

        return (null, null);
    }

    /// <summary>Closes a connection whose client broke a rule, with Discord's code, and counts it.</summary>
    private async Task BreakAsync(WebSocket socket, int code, string reason)
    {
        RuleCloses.Enqueue(code);
        lock (_lock)
        {
            foreach (var session in _shards.Values.Where(s => ReferenceEquals(s.Live, socket)))
            {
                session.LiveSession = false;
            }
        }

        await _sendLock.WaitAsync();
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Closes with 4009 a connection that has sent no heartbeat for <see cref="HeartbeatTimeoutIntervals"/> intervals.</summary>
    private async Task WatchHeartbeatsAsync(WebSocket socket, Func<DateTimeOffset> lastHeartbeat, CancellationToken cancellationToken)
    {
        // Never under 5 s: a loaded test machine may pause a client's heartbeat loop for a moment.
        var limit = TimeSpan.FromMilliseconds(Math.Max(5000, HeartbeatMs * HeartbeatTimeoutIntervals));
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(10, HeartbeatMs / 4)), cancellationToken);
                if (DateTimeOffset.UtcNow - lastHeartbeat() > limit)
                {
                    await BreakAsync(socket, 4009, "Session timed out.");
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Records an event in a shard's session and sends it to the connection that last identified or resumed
    /// that session (else it waits in the session for a resume).
    /// </summary>
    public async Task DispatchAsync(string name, JsonObject data, int shard = 0)
    {
        WebSocket? target;
        JsonObject payload;
        lock (_lock)
        {
            var session = Shard(shard);
            payload = new JsonObject { ["op"] = 0, ["t"] = name, ["s"] = ++session.Seq, ["d"] = data };
            session.Log.Add((session.Seq, payload.ToJsonString()));
            target = session.LiveSession ? session.Live : null;
        }

        if (target is not null)
        {
            await SendRawAsync(target, payload.ToJsonString());
        }
    }

    public void Disconnect() => _live?.Abort();

    /// <summary>Drops the connection a shard's session lives on, as a network fault would.</summary>
    public void Disconnect(int shard)
    {
        lock (_lock)
        {
            Shard(shard).Live?.Abort();
        }
    }

    /// <summary>The session id a shard has now (null before it identifies).</summary>
    public string? SessionOf(int shard)
    {
        lock (_lock)
        {
            return _shards.TryGetValue(shard, out var session) ? session.Id : null;
        }
    }

    public Task SendReconnectAsync() => SendAsync(_live!, new JsonObject { ["op"] = 7, ["d"] = null });

    /// <summary>Op 9 on the live connection, which may then identify or resume again.</summary>
    public Task SendInvalidSessionAsync(bool resumable)
    {
        lock (_lock)
        {
            _authenticated.Remove(_live!);
        }

        return SendAsync(_live!, new JsonObject { ["op"] = 9, ["d"] = resumable });
    }

    public Task SendGarbageAsync() => SendRawAsync(_live!, "this is not json");

    /// <summary>
    /// Any frame, as text, on the live connection: frames of shapes Discord's documentation does not show.
    /// A dispatch among them (op 0) with a whole-number sequence ahead of the session's is a sequence the
    /// session has now sent: it counts on from there, so a resume from it is not "a sequence never sent"
    /// (4007) and the events after it are not taken for replays of ones already passed on.
    /// </summary>
    public Task SendFrameAsync(string json)
    {
        if (DispatchSequence(json) is { } sent)
        {
            lock (_lock)
            {
                foreach (var session in _shards.Values.Where(s => ReferenceEquals(s.Live, _live)))
                {
                    session.Seq = Math.Max(session.Seq, sent);
                }
            }
        }

        return SendRawAsync(_live!, json);
    }

    /// <summary>The sequence of a dispatch as the client reads one: op a 32-bit 0, s a 64-bit whole number.</summary>
    private static long? DispatchSequence(string json)
    {
        try
        {
            using var frame = JsonDocument.Parse(json);
            var root = frame.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("op", out var op) && op.ValueKind == JsonValueKind.Number && op.TryGetInt32(out var code) && code == 0
                && root.TryGetProperty("s", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var n) ? n : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public async Task CloseAsync(int code)
    {
        lock (_lock)
        {
            foreach (var session in _shards.Values.Where(s => ReferenceEquals(s.Live, _live)))
            {
                session.LiveSession = false;
            }
        }

        await _live!.CloseOutputAsync((WebSocketCloseStatus)code, "stand-in closing", CancellationToken.None);
    }

    /// <summary>Identify: READY, or the close code of the rule it breaks. The shard the connection now speaks for, or null.</summary>
    private async Task<int?> IdentifyAsync(WebSocket socket, JsonElement d)
    {
        var token = d.ValueKind == JsonValueKind.Object && d.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (token != StandInDiscord.Token || Volatile.Read(ref Identifies) >= SessionStartTotal)
        {
            // Past the day's session starts Discord resets the token: authentication fails from then on.
            await BreakAsync(socket, 4004, "Authentication failed.");
            return null;
        }

        var hasShard = d.TryGetProperty("shard", out var shard);
        if (hasShard && (shard.ValueKind != JsonValueKind.Array || shard.GetArrayLength() != 2 || !shard[0].TryGetInt32(out var id) || !shard[1].TryGetInt32(out var count) || count < 1 || id < 0 || id >= count))
        {
            await BreakAsync(socket, 4010, "Invalid shard.");
            return null;
        }

        if (RequiredShards > 1 && (!hasShard || shard[1].GetInt32() < RequiredShards))
        {
            await BreakAsync(socket, 4011, "Sharding required.");
            return null;
        }

        if (!d.TryGetProperty("intents", out var intents) || intents.ValueKind != JsonValueKind.Number || !intents.TryGetInt64(out var bits) || bits < 0 || (bits & ~KnownIntents) != 0)
        {
            await BreakAsync(socket, 4013, "Invalid intent(s).");
            return null;
        }

        if ((bits & PrivilegedIntents & ~AllowedPrivilegedIntents) != 0)
        {
            await BreakAsync(socket, 4014, "Disallowed intent(s).");
            return null;
        }

        Interlocked.Increment(ref Identifies);
        if (hasShard)
        {
            IdentifiedShards.Enqueue((shard[0].GetInt32(), shard[1].GetInt32(), DateTimeOffset.UtcNow));
        }

        var shardId = hasShard ? shard[0].GetInt32() : 0;
        string ready;
        lock (_lock)
        {
            // A new session for this shard only: the other shards' sessions and their events stay.
            var session = Shard(shardId);
            session.Id = $"session-{++_sessions}";
            session.Log.Clear();
            session.Seq = 0;
            var payload = new JsonObject
            {
                ["op"] = 0, ["t"] = "READY", ["s"] = ++session.Seq,
                ["d"] = new JsonObject
                {
                    ["v"] = 10, ["session_id"] = session.Id, ["resume_gateway_url"] = Url.ToString(), ["user"] = new JsonObject { ["id"] = "99" },
                    ["shard"] = hasShard ? new JsonArray(shardId, shard[1].GetInt32()) : null,
                },
            };
            ready = payload.ToJsonString();
            session.Log.Add((session.Seq, ready));
            session.Live = socket;
            session.LiveSession = true;
        }

        await SendRawAsync(socket, ready);
        return shardId;
    }

    /// <summary>Resume: the missed events then RESUMED, op 9 for an unknown session, 4007 for a sequence never sent.</summary>
    private async Task<int?> ResumeAsync(WebSocket socket, JsonElement d)
    {
        if (d.ValueKind != JsonValueKind.Object || !d.TryGetProperty("token", out var token) || token.ValueKind != JsonValueKind.String || token.GetString() != StandInDiscord.Token)
        {
            await BreakAsync(socket, 4004, "Authentication failed.");
            return null;
        }

        List<string> replay;
        var shardId = 0;
        lock (_lock)
        {
            var seq = d.TryGetProperty("seq", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var n) ? n : 0;
            var id = d.TryGetProperty("session_id", out var sessionId) && sessionId.ValueKind == JsonValueKind.String ? sessionId.GetString() : null;
            var found = _shards.FirstOrDefault(x => x.Value.Id is not null && x.Value.Id == id);
            if (found.Value is not { } session)
            {
                replay = [];
            }
            else if (seq > session.Seq)
            {
                replay = null!;
            }
            else
            {
                shardId = found.Key;
                var after = seq - (ReplayOverlap ? 1 : 0);
                replay = [.. session.Log.Where(e => e.Seq > after).Select(e => e.Json)];
                var resumed = new JsonObject { ["op"] = 0, ["t"] = "RESUMED", ["s"] = ++session.Seq, ["d"] = new JsonObject() }.ToJsonString();
                session.Log.Add((session.Seq, resumed));
                replay.Add(resumed);
                session.Live = socket;
                session.LiveSession = true;
            }
        }

        if (replay is null)
        {
            await BreakAsync(socket, 4007, "Invalid seq.");
            return null;
        }

        if (replay.Count == 0)
        {
            await SendAsync(socket, new JsonObject { ["op"] = 9, ["d"] = false });
            return null;
        }

        Interlocked.Increment(ref Resumes);
        foreach (var json in replay)
        {
            await SendRawAsync(socket, json);
        }

        return shardId;
    }

    /// <summary>Counts a received frame; false when it is over the send limit (a violation, closed with 4008).</summary>
    private bool CountSend()
    {
        lock (_lock)
        {
            var now = DateTimeOffset.UtcNow;
            while (_received.Count > 0 && now - _received.Peek() >= SendWindow * 0.8)
            {
                _received.Dequeue();
            }

            _received.Enqueue(now);
            if (_received.Count > SendLimit)
            {
                Interlocked.Increment(ref Violations);
                return false;
            }

            return true;
        }
    }

    private Task SendAsync(WebSocket socket, JsonObject payload) => SendRawAsync(socket, payload.ToJsonString());

    private async Task SendRawAsync(WebSocket socket, string json)
    {
        await _sendLock.WaitAsync();
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            _sendLock.Release();
        }
    }
}
