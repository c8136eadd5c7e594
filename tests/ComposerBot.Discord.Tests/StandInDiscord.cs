using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using ComposerBot.Discord.Tests.Contract;
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
            app.Map("/api/v10/{**path}", stand.HandleSafelyAsync);
            app.Map("/gateway", stand.Gateway.HandleAsync);
            app.MapGet("/cdn/{name}", (string name) => stand.CdnFiles.TryGetValue(name, out var bytes) ? Results.Bytes(bytes, "application/octet-stream") : Results.NotFound());
        });
        stand!.BaseAddress = new Uri(address + "/api/v10/");
        stand.CdnAddress = new Uri(address + "/cdn/");
        stand.Gateway.Url = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal) + "/gateway");
        return stand;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>Exceptions the stand-in itself threw while answering (each answered 500); a test fails on any.</summary>
    public ConcurrentQueue<Exception> Crashes { get; } = new();

    private async Task HandleSafelyAsync(HttpContext context)
    {
        try
        {
            await HandleAsync(context);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Crashes.Enqueue(ex);
            context.Response.StatusCode = 500;
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        // Deadlines are judged when the request arrives, as at Discord: checking it (the contract, a slow
        // route) takes time during which a test may move the clock.
        var arrived = Clock.GetUtcNow();
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

        var method = context.Request.Method;
        var operation = Contract.Find(method, path);
        if (operation is null || !Served(operation))
        {
            // A route Discord has not (or not for this method), or one the stand-in does not model: a rule broken by the client.
            Interlocked.Increment(ref _ruleBreaks);
            await Reply(context, 404, """{"message":"404: Not Found","code":0}""");
            return;
        }

        if (recorded.Files.Any(f => f.Length > AttachmentLimit))
        {
            await Reply(context, 413, """{"message":"Request entity too large","code":40005}""");
            return;
        }

        var contractRequest = new ContractRequest(recorded.Authorization, $"Bot {Token}", context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()), recorded.ContentType, recorded.PayloadJson)
        {
            PayloadJson = context.Request.HasFormContentType ? recorded.PayloadJson : null,
            FileFields = [.. recorded.Files.Select(f => f.Name)],
        };
        if (Contract.Check(operation, contractRequest) is { } refusal)
        {
            Rejections.Enqueue((recorded, refusal.Reason));
            await Reply(context, refusal.Status, refusal.Body);
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

        if (TakeFromBucket(context, Bucket(method, path)) is { } limited)
        {
            await Reply(context, 429, limited);
            return;
        }

        var values = operation.PathValues;
        switch (operation.Template)
        {
            case "/gateway/bot":
                var remaining = Math.Max(0, Gateway.SessionStartTotal - Volatile.Read(ref Gateway.Identifies));
                await Reply(context, 200, Respond(operation, new JsonObject
                {
                    ["url"] = Gateway.Url.ToString(),
                    ["shards"] = Gateway.RequiredShards,
                    ["session_start_limit"] = new JsonObject { ["total"] = Gateway.SessionStartTotal, ["remaining"] = remaining, ["reset_after"] = 86_400_000, ["max_concurrency"] = Gateway.MaxConcurrency },
                }));
                break;
            case "/applications/@me":
                await Reply(context, 200, Respond(operation, new JsonObject { ["id"] = ApplicationId, ["name"] = "ComposerBot" }));
                break;
            case "/interactions/{interaction_id}/{interaction_token}/callback":
                if (InteractionRule(values["interaction_token"], callback: true, arrived) is { } callbackRefusal)
                {
                    await Reply(context, callbackRefusal.Status, callbackRefusal.Body);
                    break;
                }

                context.Response.StatusCode = 204;
                break;
            case var t when t.StartsWith("/webhooks/", StringComparison.Ordinal) && LostOriginal(values["webhook_token"], recorded) is { } lost:
                await Reply(context, 404, lost);
                break;
            case var t when t.StartsWith("/webhooks/", StringComparison.Ordinal) && InteractionRule(values["webhook_token"], callback: false, arrived) is { } webhookRefusal:
                await Reply(context, webhookRefusal.Status, webhookRefusal.Body);
                break;
            case var t when t.EndsWith("/commands", StringComparison.Ordinal):
                await Reply(context, 200, RegisteredCommands(operation, recorded.PayloadJson, values.GetValueOrDefault("guild_id")));
                break;
            case "/channels/{channel_id}/messages":
                if (NonceOf(recorded.PayloadJson) is not { } nonce || _nonces.TryAdd(nonce, true))
                {
                    ChannelMessages.Enqueue(recorded);
                }

                await Reply(context, 200, Respond(operation, Posted(recorded, values["channel_id"])));
                break;
            case var _ when method == "DELETE":
                context.Response.StatusCode = 204;
                break;
            case "/webhooks/{webhook_id}/{webhook_token}" when context.Request.Query["wait"] != "true":
                context.Response.StatusCode = 204;
                break;
            default:
                await Reply(context, 200, Respond(operation, Posted(recorded, ChannelOfInteractions)));
                break;
        }
    }

    /// <summary>
    /// A fault for every interaction: after this many edits of its original response succeed (-1: at the first
    /// edit that carries files, the finished track), the original is gone: 10008 Unknown Message (someone
    /// deleted it) or 10015 Unknown Webhook, for every later request on its webhook.
    /// </summary>
    public (int AfterEdits, int Code)? LoseOriginals { get; set; }

    private readonly ConcurrentDictionary<string, int> _edits = new();
    private readonly ConcurrentDictionary<string, bool> _lost = new();

    private string? LostOriginal(string token, RecordedRequest request)
    {
        if (LoseOriginals is not { } rule)
        {
            return null;
        }

        var edit = request.Method == "PATCH";
        var gone = _lost.ContainsKey(token) || (edit && (rule.AfterEdits < 0 ? request.Files.Count > 0 : _edits.GetValueOrDefault(token) >= rule.AfterEdits));
        if (!gone)
        {
            if (edit)
            {
                _edits.AddOrUpdate(token, 1, (_, n) => n + 1);
            }

            return null;
        }

        _lost[token] = true;
        return rule.Code == 10008 ? """{"message":"Unknown Message","code":10008}""" : """{"message":"Unknown Webhook","code":10015}""";
    }

    public const string ApplicationId = "99";

    /// <summary>The channel interaction responses appear in.</summary>
    private const string ChannelOfInteractions = "5";

    private long _nextId = 1_000_000_000_000_000;

    /// <summary>The operations of Discord's API this stand-in serves (what our client calls).</summary>
    private static readonly HashSet<(string Method, string Template)> ServedOperations =
    [
        ("get", "/gateway/bot"),
        ("get", "/applications/@me"),
        ("put", "/applications/{application_id}/commands"),
        ("put", "/applications/{application_id}/guilds/{guild_id}/commands"),
        ("post", "/interactions/{interaction_id}/{interaction_token}/callback"),
        ("patch", "/webhooks/{webhook_id}/{webhook_token}/messages/@original"),
        ("delete", "/webhooks/{webhook_id}/{webhook_token}/messages/@original"),
        ("post", "/webhooks/{webhook_id}/{webhook_token}"),
        ("post", "/channels/{channel_id}/messages"),
    ];

    private static bool Served(ContractOperation operation) => ServedOperations.Contains((operation.Method, operation.Template));

    /// <summary>Discord's published contract, which every request is checked against.</summary>
    public DiscordContract Contract { get; } = DiscordContract.Shared;

    /// <summary>Requests the contract refused (bad token, parameters or body), each with the reason.</summary>
    public ConcurrentQueue<(RecordedRequest Request, string Reason)> Rejections { get; } = new();

    /// <summary>The response the spec describes for the operation: its required fields, with these values set.</summary>
    private string Respond(ContractOperation operation, JsonObject values) => Contract.Instance(Contract.ResponseSchema(operation)!.Value, values).ToJsonString();

    /// <summary>A message as Discord returns it once posted: a new id, the channel, the content sent.</summary>
    private JsonObject Posted(RecordedRequest request, string channelId)
    {
        var message = new JsonObject
        {
            ["id"] = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture),
            ["channel_id"] = channelId,
        };
        if (request.PayloadJson.Length > 0 && JsonNode.Parse(request.PayloadJson) is JsonObject sent && sent["content"] is JsonValue content)
        {
            message["content"] = content.GetValue<string>();
        }

        return message;
    }

    /// <summary>The commands as Discord stores them: each as sent, with its id, the application's id and a version.</summary>
    private string RegisteredCommands(ContractOperation operation, string payload, string? guildId)
    {
        var item = Contract.Resolve(Contract.ResponseSchema(operation)!.Value).GetProperty("items");
        var registered = new JsonArray();
        foreach (var command in JsonNode.Parse(payload)!.AsArray().OfType<JsonObject>())
        {
            var stored = Contract.Instance(item, (JsonObject)command.DeepClone());
            stored["id"] = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
            stored["application_id"] = ApplicationId;
            stored["version"] = stored["id"]!.GetValue<string>();
            if (guildId is not null)
            {
                stored["guild_id"] = guildId;
            }

            registered.Add(stored);
        }

        return registered.ToJsonString();
    }

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
    private (int Status, string Body)? InteractionRule(string token, bool callback, DateTimeOffset arrived)
    {
        if (!_interactions.TryGetValue(token, out var state))
        {
            // A token Discord never issued: the interaction or its webhook is unknown.
            Interlocked.Increment(ref _ruleBreaks);
            return callback ? (404, """{"message":"Unknown interaction","code":10062}""") : (404, """{"message":"Unknown Webhook","code":10015}""");
        }

        var age = arrived - state.IssuedAt;
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
