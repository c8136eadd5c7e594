using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ComposerBot.Discord.Tests;

/// <summary>
/// The stand-in's gateway: Hello, heartbeat ACKs, Identify to READY, Resume replaying what the client
/// missed then RESUMED, and the faults a real gateway produces: dropped connections, zombies (no ACKs),
/// op 7, op 9, close codes, garbage frames. It counts sends over its advertised limit.
/// </summary>
public sealed class StandInGateway
{
    private readonly Lock _lock = new();
    private readonly List<(long Seq, string Json)> _log = [];
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Queue<DateTimeOffset> _received = new();
    private WebSocket? _live;
    private bool _liveSession;
    private string? _sessionId;
    private long _seq;
    private int _sessions;

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
            _liveSession = false;
        }

        await SendAsync(socket, new JsonObject { ["op"] = 10, ["d"] = new JsonObject { ["heartbeat_interval"] = HeartbeatMs } });
        var buffer = new byte[16384];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                CountSend();
                using var frame = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
                var op = frame.RootElement.GetProperty("op").GetInt32();
                var d = frame.RootElement.GetProperty("d");
                switch (op)
                {
                    case 1:
                        Interlocked.Increment(ref Heartbeats);
                        if (!zombie)
                        {
                            await SendAsync(socket, new JsonObject { ["op"] = 11 });
                        }

                        break;
                    case 2:
                        await IdentifyAsync(socket, d);
                        break;
                    case 6:
                        await ResumeAsync(socket, d);
                        break;
                }
            }
        }
        catch (WebSocketException)
        {
        }
    }

    /// <summary>Records an event and sends it to the connection that last identified or resumed (else it waits for a resume).</summary>
    public async Task DispatchAsync(string name, JsonObject data)
    {
        WebSocket? target;
        JsonObject payload;
        lock (_lock)
        {
            payload = new JsonObject { ["op"] = 0, ["t"] = name, ["s"] = ++_seq, ["d"] = data };
            _log.Add((_seq, payload.ToJsonString()));
            target = _liveSession ? _live : null;
        }

        if (target is not null)
        {
            await SendRawAsync(target, payload.ToJsonString());
        }
    }

    public void Disconnect() => _live?.Abort();

    public Task SendReconnectAsync() => SendAsync(_live!, new JsonObject { ["op"] = 7, ["d"] = null });

    public Task SendInvalidSessionAsync(bool resumable) => SendAsync(_live!, new JsonObject { ["op"] = 9, ["d"] = resumable });

    public Task SendGarbageAsync() => SendRawAsync(_live!, "this is not json");

    /// <summary>Any frame, as text, on the live connection: frames of shapes Discord's documentation does not show.</summary>
    public Task SendFrameAsync(string json) => SendRawAsync(_live!, json);

    public async Task CloseAsync(int code)
    {
        lock (_lock)
        {
            _liveSession = false;
        }

        await _live!.CloseOutputAsync((WebSocketCloseStatus)code, "stand-in closing", CancellationToken.None);
    }

    private async Task IdentifyAsync(WebSocket socket, JsonElement d)
    {
        if (d.GetProperty("token").GetString() != StandInDiscord.Token)
        {
            await socket.CloseOutputAsync((WebSocketCloseStatus)4004, "Authentication failed.", CancellationToken.None);
            return;
        }

        Interlocked.Increment(ref Identifies);
        if (d.TryGetProperty("shard", out var shard))
        {
            IdentifiedShards.Enqueue((shard[0].GetInt32(), shard[1].GetInt32(), DateTimeOffset.UtcNow));
        }

        string ready;
        lock (_lock)
        {
            _sessionId = $"session-{++_sessions}";
            _log.Clear();
            _seq = 0;
            var payload = new JsonObject
            {
                ["op"] = 0, ["t"] = "READY", ["s"] = ++_seq,
                ["d"] = new JsonObject { ["v"] = 10, ["session_id"] = _sessionId, ["resume_gateway_url"] = Url.ToString(), ["user"] = new JsonObject { ["id"] = "99" } },
            };
            ready = payload.ToJsonString();
            _log.Add((_seq, ready));
            _live = socket;
            _liveSession = true;
        }

        await SendRawAsync(socket, ready);
    }

    private async Task ResumeAsync(WebSocket socket, JsonElement d)
    {
        List<string> replay;
        lock (_lock)
        {
            if (d.GetProperty("session_id").GetString() != _sessionId)
            {
                replay = [];
            }
            else
            {
                var after = (d.GetProperty("seq").ValueKind == JsonValueKind.Number ? d.GetProperty("seq").GetInt64() : 0) - (ReplayOverlap ? 1 : 0);
                replay = [.. _log.Where(e => e.Seq > after).Select(e => e.Json)];
                var resumed = new JsonObject { ["op"] = 0, ["t"] = "RESUMED", ["s"] = ++_seq, ["d"] = new JsonObject() }.ToJsonString();
                _log.Add((_seq, resumed));
                replay.Add(resumed);
                _live = socket;
                _liveSession = true;
            }
        }

        if (replay.Count == 0)
        {
            await SendAsync(socket, new JsonObject { ["op"] = 9, ["d"] = false });
            return;
        }

        Interlocked.Increment(ref Resumes);
        foreach (var json in replay)
        {
            await SendRawAsync(socket, json);
        }
    }

    private void CountSend()
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
            }
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
