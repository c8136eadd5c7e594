using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ComposerBot.Discord.Tests;

/// <summary>
/// A local stand-in for Discord's REST API (Kestrel on 127.0.0.1): it records every request, advertises
/// rate limits in the headers and counts any request that breaks them, enforces an attachment cap, and
/// injects faults on demand (429 per route or global, 5xx, slow responses). It keeps Discord's interaction
/// rules: a first response after 3 s is 10062, a second one 40060, a webhook call after the token's 15
/// minutes 50027; each of these counts as a <see cref="RuleBreaks"/>.
/// </summary>
public sealed class StandInDiscord : IAsyncDisposable
{
    public const string Token = "MTAxNzQ4OTEyMzQ1Njc4OTAx.GstandIn.bot-token-that-must-never-be-logged";
    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (DateTimeOffset Start, int Count)> _windows = [];

    private StandInDiscord(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public StandInGateway Gateway { get; } = new();

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public ConcurrentQueue<(string PathPrefix, int Status, string Body, bool Global)> Faults { get; } = new();

    /// <summary>Requests per window of each bucket; the command routes share one bucket.</summary>
    public int BucketLimit { get; set; } = 2;

    public TimeSpan Window { get; set; } = TimeSpan.FromMilliseconds(400);

    public long AttachmentLimit { get; set; } = 1_000_000;

    /// <summary>The stand-in's clock for interaction deadlines (tests may move it by hand).</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Every file uploaded with a message, with its content (to decode what the bot posted).</summary>
    public ConcurrentQueue<(string Path, string FileName, byte[] Content)> Uploads { get; } = new();

    /// <summary>Files served as Discord's CDN would serve users' attachments: GET {CdnAddress}NAME.</summary>
    public ConcurrentDictionary<string, byte[]> CdnFiles { get; } = new();

    public Uri CdnAddress { get; private set; } = null!;

    /// <summary>Channel messages posted, after Discord's nonce rule (a repeated enforced nonce posts nothing new).</summary>
    public ConcurrentQueue<RecordedRequest> ChannelMessages { get; } = new();

    private readonly ConcurrentDictionary<string, bool> _nonces = new();

    /// <summary>Route prefixes that answer only after a delay.</summary>
    public ConcurrentDictionary<string, TimeSpan> SlowRoutes { get; } = new();

    private readonly ConcurrentDictionary<string, (DateTimeOffset IssuedAt, bool Acknowledged)> _interactions = new();
    private int _ruleBreaks;

    /// <summary>Responses that Discord would have refused (late, twice, or with a dead token).</summary>
    public int RuleBreaks => Volatile.Read(ref _ruleBreaks);

    /// <summary>Starts an interaction's clocks: its id and token, issued now.</summary>
    public void Issue(string interactionToken) => _interactions[interactionToken] = (Clock.GetUtcNow(), false);

    /// <summary>Marks an interaction answered some other way (the reply to the HTTP endpoint).</summary>
    public void Acknowledge(string interactionToken) => _interactions[interactionToken] = _interactions[interactionToken] with { Acknowledged = true };

    private int _violations;

    /// <summary>Requests that arrived while their bucket had nothing left.</summary>
    public int Violations => Volatile.Read(ref _violations);

    public static async Task<StandInDiscord> StartAsync()
    {
        StandInDiscord? stand = null;
        var (app, address) = await LocalServer.StartAsync(_ => { }, app =>
        {
            stand = new StandInDiscord(app);
            app.UseWebSockets();
            app.Map("/api/v10/{**path}", stand.HandleAsync);
            app.Map("/gateway", stand.Gateway.HandleAsync);
            app.MapGet("/cdn/{name}", (string name) => stand.CdnFiles.TryGetValue(name, out var bytes) ? Results.Bytes(bytes, "application/octet-stream") : Results.NotFound());
        });
        stand!.BaseAddress = new Uri(address + "/api/v10/");
        stand.CdnAddress = new Uri(address + "/cdn/");
        stand.Gateway.Url = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal) + "/gateway");
        return stand;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var path = (string)context.Request.RouteValues["path"]!;
        var recorded = new RecordedRequest(DateTimeOffset.UtcNow, context.Request.Method, path, context.Request.Headers.Authorization.ToString(), context.Request.ContentType ?? "");
        if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync();
            recorded = recorded with { PayloadJson = form["payload_json"].ToString(), Files = [.. form.Files.Select(f => (f.Name, f.FileName, f.Length))] };
            foreach (var file in form.Files)
            {
                using var content = new MemoryStream();
                await file.CopyToAsync(content);
                Uploads.Enqueue((path, file.FileName, content.ToArray()));
            }
        }
        else
        {
            using var reader = new StreamReader(context.Request.Body);
            recorded = recorded with { PayloadJson = await reader.ReadToEndAsync() };
        }

        Requests.Enqueue(recorded);
        if (SlowRoutes.FirstOrDefault(r => path.StartsWith(r.Key, StringComparison.Ordinal)) is { Key: not null } slow)
        {
            await Task.Delay(slow.Value);
        }

        if (recorded.Authorization != $"Bot {Token}")
        {
            await Reply(context, 401, """{"code":0,"message":"401: Unauthorized"}""");
            return;
        }

        if (Faults.TryPeek(out var fault) && path.StartsWith(fault.PathPrefix, StringComparison.Ordinal) && Faults.TryDequeue(out fault))
        {
            if (fault.Global)
            {
                context.Response.Headers["X-RateLimit-Global"] = "true";
            }

            await Reply(context, fault.Status, fault.Body);
            return;
        }

        if (recorded.Files.Any(f => f.Length > AttachmentLimit))
        {
            await Reply(context, 413, """{"code":40005,"message":"Request entity too large"}""");
            return;
        }

        if (!KnownRoute(context.Request.Method, path))
        {
            // A route Discord has not (or not for this method): its answer, and a rule broken by the client.
            Interlocked.Increment(ref _ruleBreaks);
            await Reply(context, 404, """{"code":0,"message":"404: Not Found"}""");
            return;
        }

        if (TakeFromBucket(context, Bucket(context.Request.Method, path)) is { } limited)
        {
            await Reply(context, 429, limited);
            return;
        }

        switch (path)
        {
            case "gateway/bot":
                await Reply(context, 200, """{"url":"wss://gateway.invalid","shards":2,"session_start_limit":{"total":1000,"remaining":999,"reset_after":1000,"max_concurrency":1}}""");
                break;
            case "applications/@me":
                await Reply(context, 200, """{"id":"99","name":"ComposerBot"}""");
                break;
            case var p when p.StartsWith("interactions/unknown/", StringComparison.Ordinal):
                await Reply(context, 404, """{"code":10062,"message":"Unknown interaction"}""");
                break;
            case var p when p.StartsWith("interactions/", StringComparison.Ordinal):
                if (InteractionRule(p.Split('/')[2], callback: true) is { } refusal)
                {
                    await Reply(context, refusal.Status, refusal.Body);
                    break;
                }

                context.Response.StatusCode = 204;
                break;
            case var p when p.StartsWith("webhooks/", StringComparison.Ordinal) && InteractionRule(p.Split('/')[2], callback: false) is { } webhookRefusal:
                await Reply(context, webhookRefusal.Status, webhookRefusal.Body);
                break;
            case var p when p.EndsWith("/commands", StringComparison.Ordinal):
                await Reply(context, 200, recorded.PayloadJson);
                break;
            case var p when p.StartsWith("channels/", StringComparison.Ordinal) && p.EndsWith("/messages", StringComparison.Ordinal) && context.Request.Method == "POST":
                if (NonceOf(recorded.PayloadJson) is not { } nonce || _nonces.TryAdd(nonce, true))
                {
                    ChannelMessages.Enqueue(recorded);
                }

                await Reply(context, 200, """{"id":"1"}""");
                break;
            case var p when p.StartsWith("webhooks/", StringComparison.Ordinal) && context.Request.Method == "DELETE":
                context.Response.StatusCode = 204;
                break;
            default:
                await Reply(context, 200, """{"id":"1"}""");
                break;
        }
    }

    /// <summary>The routes of Discord's API v10 this stand-in serves, each with its method (what our client calls).</summary>
    private static readonly (string Method, System.Text.RegularExpressions.Regex Path)[] Routes =
    [
        ("GET", new(@"^gateway/bot$")),
        ("GET", new(@"^applications/@me$")),
        ("PUT", new(@"^applications/[0-9]+/commands$")),
        ("PUT", new(@"^applications/[0-9]+/guilds/[0-9]+/commands$")),
        ("POST", new(@"^interactions/[^/]+/[^/]+/callback$")),
        ("PATCH", new(@"^webhooks/[0-9]+/[^/]+/messages/@original$")),
        ("DELETE", new(@"^webhooks/[0-9]+/[^/]+/messages/@original$")),
        ("POST", new(@"^webhooks/[0-9]+/[^/]+$")),
        ("POST", new(@"^channels/[0-9]+/messages$")),
    ];

    private static bool KnownRoute(string method, string path) => Routes.Any(r => r.Method == method && r.Path.IsMatch(path));

    /// <summary>The nonce of a message that asks Discord to enforce it.</summary>
    private static string? NonceOf(string payload)
    {
        if (payload.Length == 0)
        {
            return null;
        }

        using var json = System.Text.Json.JsonDocument.Parse(payload);
        var root = json.RootElement;
        return root.TryGetProperty("enforce_nonce", out var enforce) && enforce.ValueKind == System.Text.Json.JsonValueKind.True && root.TryGetProperty("nonce", out var nonce)
            ? nonce.ToString()
            : null;
    }

    /// <summary>Discord's answer to a response that breaks the rules, or null when it is fine.</summary>
    private (int Status, string Body)? InteractionRule(string token, bool callback)
    {
        if (!_interactions.TryGetValue(token, out var state))
        {
            return null; // not issued by a test: no clocks to keep
        }

        var age = Clock.GetUtcNow() - state.IssuedAt;
        (int, string)? refusal = callback switch
        {
            true when state.Acknowledged => (400, """{"code":40060,"message":"Interaction has already been acknowledged."}"""),
            true when age > TimeSpan.FromSeconds(3) => (404, """{"code":10062,"message":"Unknown interaction"}"""),
            false when age > TimeSpan.FromMinutes(15) => (401, """{"code":50027,"message":"Invalid Webhook Token"}"""),
            false when !state.Acknowledged => (404, """{"code":10015,"message":"Unknown Webhook"}"""),
            _ => null,
        };
        if (refusal is not null)
        {
            Interlocked.Increment(ref _ruleBreaks);
        }
        else if (callback)
        {
            _interactions[token] = state with { Acknowledged = true };
        }

        return refusal;
    }

    private static string Bucket(string method, string path) =>
        path.EndsWith("/commands", StringComparison.Ordinal) ? "commands" : $"{method} {path}";

    /// <summary>Counts the request against its bucket's window; a request over the limit is a violation: its 429 body is returned.</summary>
    private string? TakeFromBucket(HttpContext context, string bucket)
    {
        int remaining;
        double resetAfter;
        lock (_lock)
        {
            var now = DateTimeOffset.UtcNow;
            var (start, count) = _windows.TryGetValue(bucket, out var w) && now - w.Start < Window ? w : (now, 0);
            resetAfter = (Window - (now - start)).TotalSeconds;
            if (count >= BucketLimit)
            {
                Interlocked.Increment(ref _violations);
                return string.Create(CultureInfo.InvariantCulture, $$"""{"message":"You are being rate limited.","retry_after":{{resetAfter:0.###}},"global":false}""");
            }

            _windows[bucket] = (start, count + 1);
            remaining = BucketLimit - count - 1;
        }

        context.Response.Headers["X-RateLimit-Limit"] = BucketLimit.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-RateLimit-Reset-After"] = resetAfter.ToString("0.###", CultureInfo.InvariantCulture);
        context.Response.Headers["X-RateLimit-Bucket"] = bucket.Replace(' ', '-');
        return null;
    }

    private static async Task Reply(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    }
}

public sealed record RecordedRequest(DateTimeOffset At, string Method, string Path, string Authorization, string ContentType)
{
    public string PayloadJson { get; init; } = "";

    public IReadOnlyList<(string Name, string FileName, long Length)> Files { get; init; } = [];
}
