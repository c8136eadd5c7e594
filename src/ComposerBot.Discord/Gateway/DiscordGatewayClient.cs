using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace ComposerBot.Discord.Gateway;

/// <summary>
/// One gateway connection (one shard), kept alive: Hello and heartbeats with jitter, zombie detection,
/// Identify then READY, Resume with resume_gateway_url and the last sequence after a drop, op 7 and op 9,
/// close codes sorted into resume, new session or stop, reconnects with exponential backoff and jitter,
/// and the send limit. Events are written to <see cref="Events"/>, never handled on the receive loop;
/// an event replayed twice (same sequence in one session) is passed on once.
/// </summary>
public sealed partial class DiscordGatewayClient(GatewayOptions options, TimeProvider time, ILogger<DiscordGatewayClient> logger)
{
    private readonly GatewayOptions _options = options;
    private readonly TimeProvider _time = time;
    private readonly Channel<GatewayDispatch> _events = Channel.CreateUnbounded<GatewayDispatch>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly Random _jitter = new();
    private string? _sessionId;
    private Uri? _resumeUrl;
    private long? _sequence;
    private long _delivered;

    public ChannelReader<GatewayDispatch> Events => _events.Reader;

    public string? SessionId => _sessionId;

    /// <summary>How many connections have been opened (the first, then every reconnect).</summary>
    public int Connections { get; private set; }

    /// <summary>Connects and stays connected until cancelled or closed with a fatal code.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var (outcome, healthy) = await ConnectOnceAsync(cancellationToken).ConfigureAwait(false);
                if (outcome == Outcome.NewSession)
                {
                    _sessionId = null;
                    _resumeUrl = null;
                }

                failures = healthy ? 0 : failures + 1;
                if (outcome == Outcome.InvalidSessionWait)
                {
                    await Task.Delay(_options.InvalidSessionDelay, _time, cancellationToken).ConfigureAwait(false);
                }

                await Task.Delay(Backoff(failures), _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    /// <summary>Sends a payload (op and data) on the live connection, within the send limit.</summary>
    public Task SendAsync(int op, JsonNode? data, CancellationToken cancellationToken) =>
        _connection is { } connection ? connection.SendAsync(op, data, cancellationToken) : throw new InvalidOperationException("not connected.");

    private Connection? _connection;

    private TimeSpan Backoff(int failures)
    {
        if (failures == 0)
        {
            return TimeSpan.Zero;
        }

        var exponential = _options.BackoffBase * Math.Pow(2, Math.Min(failures - 1, 16));
        var capped = exponential > _options.BackoffMax ? _options.BackoffMax : exponential;
        return capped * (0.5 + (_jitter.NextDouble() * 0.5));
    }

    private async Task<(Outcome Outcome, bool Healthy)> ConnectOnceAsync(CancellationToken cancellationToken)
    {
        var baseUrl = _sessionId is not null && _resumeUrl is not null ? _resumeUrl : _options.Url;
        using var socket = new ClientWebSocket();
        Connections++;
        try
        {
            // A handshake that hangs (a black-holed address) must not hold the bot forever.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.ConnectTimeout);
            await socket.ConnectAsync(new Uri($"{baseUrl.ToString().TrimEnd('/')}/?v=10&encoding=json"), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogConnectFailed(ex is OperationCanceledException ? $"no connection within {_options.ConnectTimeout.TotalSeconds:0} s" : ex.Message);
            return (Outcome.Resume, false);
        }

        using var connection = new Connection(this, socket, cancellationToken);
        _connection = connection;
        try
        {
            return await connection.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            _connection = null;
        }
    }

    private enum Outcome
    {
        Resume,
        NewSession,
        InvalidSessionWait,
    }

    /// <summary>The life of one WebSocket: receive loop, heartbeat task, and the session handshake.</summary>
    private sealed class Connection(DiscordGatewayClient client, ClientWebSocket socket, CancellationToken outer) : IDisposable
    {
        private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(outer);
        // A Hello asking for a beat less often than hourly is not one Discord sends (it asks every ~41 s).
        private const double MaxHeartbeatMs = 3_600_000;

        // Heartbeats bypass the limiter; it keeps room for them (one every ~41 s: at most two a minute).
        private const int HeartbeatReserve = 3;
        private readonly SendLimiter _limiter = new(Math.Max(1, client._options.SendLimit - HeartbeatReserve), client._options.SendWindow, client._time);
        private readonly SemaphoreSlim _sendLock = new(1, 1);
        private volatile bool _acked = true;
        private bool _healthy;
        private Task? _heartbeat;
        private Task? _handshake;

        public async Task<(Outcome, bool)> RunAsync()
        {
            try
            {
                while (true)
                {
                    using var frame = await ReceiveAsync().ConfigureAwait(false);
                    if (frame is null)
                    {
                        return (Classify(), _healthy);
                    }

                    if (await HandleAsync(frame.RootElement).ConfigureAwait(false) is { } outcome)
                    {
                        await CloseAsync().ConfigureAwait(false);
                        return (outcome, _healthy);
                    }
                }
            }
            catch (Exception ex) when (ex is not GatewayClosedException && !outer.IsCancellationRequested)
            {
                // A drop, a zombie we closed ourselves, garbage, or a frame of a shape we cannot use
                // ({"op":10} without d, {"op":"10"}): Discord's rule is to reconnect and resume, never to die.
                client.LogDropped(ex);
                await CloseAsync().ConfigureAwait(false);
                return (Outcome.Resume, _healthy);
            }
            finally
            {
                await _stop.CancelAsync().ConfigureAwait(false);
                foreach (var task in new[] { _heartbeat, _handshake }.OfType<Task>())
                {
                    await task.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
                }
            }
        }

        private Outcome Classify()
        {
            var code = (int?)socket.CloseStatus ?? 0;
            if (CloseCodes.IsFatal(code))
            {
                throw new GatewayClosedException(code, socket.CloseStatusDescription);
            }

            return CloseCodes.NeedsNewSession(code) ? Outcome.NewSession : Outcome.Resume;
        }

        private async Task<Outcome?> HandleAsync(JsonElement frame)
        {
            if (frame.ValueKind != JsonValueKind.Object || !frame.TryGetProperty("op", out var opValue) || !opValue.TryGetInt32(out var op))
            {
                throw new InvalidDataException("a gateway frame without a numeric op");
            }

            var data = frame.TryGetProperty("d", out var d) ? d : default;
            switch (op)
            {
                case 10:
                    if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty("heartbeat_interval", out var beat) || beat.ValueKind != JsonValueKind.Number
                        || !beat.TryGetDouble(out var milliseconds) || milliseconds is not (> 0 and <= MaxHeartbeatMs))
                    {
                        throw new InvalidDataException("a Hello without a usable heartbeat_interval");
                    }

                    if (_heartbeat is not null)
                    {
                        // One Hello per connection: a second (well-formed) one must not start a second heartbeat and
                        // handshake (a second Identify would be closed with 4005). A malformed one reconnects, as above.
                        return null;
                    }

                    var interval = TimeSpan.FromMilliseconds(milliseconds);
                    _acked = true;
                    _heartbeat = HeartbeatAsync(interval);

                    // The handshake may wait for an identify slot: off the receive loop, which must keep reading ACKs.
                    _handshake = HandshakeAsync();
                    return null;
                case 11:
                    _acked = true;
                    return null;
                case 1:
                    await SendAsync(1, client._sequence, _stop.Token).ConfigureAwait(false);
                    return null;
                case 7:
                    return Outcome.Resume;
                case 9:
                    return data.ValueKind == JsonValueKind.True ? Outcome.Resume : NewSession();
                case 0:
                    await DispatchAsync(frame, data).ConfigureAwait(false);
                    return null;
                default:
                    return null;
            }
        }

        private async Task HandshakeAsync()
        {
            try
            {
                if (client._sessionId is { } session)
                {
                    await SendAsync(6, new JsonObject { ["token"] = client._options.Token, ["session_id"] = session, ["seq"] = client._sequence }, _stop.Token).ConfigureAwait(false);
                    return;
                }

                if (client._options.IdentifyLimiter is { } limiter)
                {
                    await limiter.WaitTurnAsync(client._options.ShardId, _stop.Token).ConfigureAwait(false);
                }

                await SendAsync(2, Identify(), _stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
                // The connection ended first; the next one starts its own handshake.
            }
        }

        private Outcome NewSession()
        {
            client._sessionId = null;
            client._resumeUrl = null;
            client._sequence = null;
            client._delivered = 0;
            return Outcome.InvalidSessionWait;
        }

        private async Task DispatchAsync(JsonElement frame, JsonElement data)
        {
            var name = frame.TryGetProperty("t", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : null;
            var sequence = frame.TryGetProperty("s", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var n) ? n : (long?)null;
            if (name is null)
            {
                // A dispatch that names no event cannot be handled; its sequence still counts for resuming.
                client._sequence = sequence ?? client._sequence;
                client.LogUnnamedDispatch(sequence);
                return;
            }

            if (name == "READY")
            {
                if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty("session_id", out var session) || session.ValueKind != JsonValueKind.String)
                {
                    throw new InvalidDataException("READY without a session_id");
                }

                client._sessionId = session.GetString();

                // Without resume_gateway_url a resume goes to the gateway URL we started from.
                client._resumeUrl = data.TryGetProperty("resume_gateway_url", out var resume) && resume.ValueKind == JsonValueKind.String
                    && Uri.TryCreate(resume.GetString(), UriKind.Absolute, out var url) ? url : null;
                client._delivered = 0;
                _healthy = true;
            }
            else if (name == "RESUMED")
            {
                _healthy = true;
            }

            if (sequence is { } seq)
            {
                client._sequence = seq;
                if (seq <= client._delivered)
                {
                    return;
                }

                client._delivered = seq;
            }

            await client._events.Writer.WriteAsync(new GatewayDispatch(name, sequence ?? 0, data.Clone()), _stop.Token).ConfigureAwait(false);
        }

        private JsonObject Identify() => new()
        {
            ["token"] = client._options.Token,
            ["intents"] = client._options.Intents,
            ["properties"] = new JsonObject { ["os"] = "linux", ["browser"] = "ComposerBot", ["device"] = "ComposerBot" },
            ["shard"] = new JsonArray(client._options.ShardId, client._options.ShardCount),
        };

        /// <summary>The first beat after interval x jitter, then every interval; no ACK since the last beat means a zombie.</summary>
        private async Task HeartbeatAsync(TimeSpan interval)
        {
            try
            {
                await Task.Delay(interval * client._jitter.NextDouble(), client._time, _stop.Token).ConfigureAwait(false);
                while (!_stop.IsCancellationRequested)
                {
                    if (!_acked)
                    {
                        client.LogZombie();
                        socket.Abort();
                        return;
                    }

                    _acked = false;
                    await SendAsync(1, client._sequence, _stop.Token).ConfigureAwait(false);
                    await Task.Delay(interval, client._time, _stop.Token).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
            }
        }

        /// <summary>
        /// Sends within the send limit. Heartbeats (op 1) never wait behind other sends: they skip the
        /// limiter's queue (the limit leaves room for them) and take only the socket's one-send-at-a-time lock.
        /// </summary>
        public async Task SendAsync(int op, JsonNode? data, CancellationToken cancellationToken)
        {
            var payload = Encoding.UTF8.GetBytes(new JsonObject { ["op"] = op, ["d"] = data }.ToJsonString());
            using (op == 1 ? null : await _limiter.AcquireAsync(cancellationToken).ConfigureAwait(false))
            {
                await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    await socket.SendAsync(payload, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _sendLock.Release();
                }
            }
        }

        private async Task<JsonDocument?> ReceiveAsync()
        {
            var buffer = new byte[8192];
            using var message = new MemoryStream();
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, _stop.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    return JsonDocument.Parse(message.ToArray());
                }
            }
        }

        /// <summary>Closes with 4000: not 1000/1001, so the session stays resumable.</summary>
        private async Task CloseAsync()
        {
            if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
            {
                return;
            }

            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync((WebSocketCloseStatus)4000, "reconnecting", timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or InvalidOperationException or ObjectDisposedException)
            {
            }
        }

        public void Dispose()
        {
            _stop.Dispose();
            _limiter.Dispose();
            _sendLock.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gateway connect failed: {Reason}")]
    private partial void LogConnectFailed(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Gateway connection dropped; resuming")]
    private partial void LogDropped(Exception reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped a dispatch without an event name (sequence {Sequence})")]
    private partial void LogUnnamedDispatch(long? sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No heartbeat ACK since the last beat: zombie connection, reconnecting")]
    private partial void LogZombie();
}
