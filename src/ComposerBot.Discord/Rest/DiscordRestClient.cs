using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ComposerBot.Discord.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ComposerBot.Discord.Rest;

/// <summary>
/// The REST calls the bot needs, over one HttpClient: rate limits learned from the headers and obeyed
/// before sending, 429s and 5xx retried with a body rebuilt from buffered bytes, files never over the
/// attachment limit, and errors raised as <see cref="DiscordHttpException"/> with Discord's code.
/// Requests are logged by their route template (<c>PATCH webhooks/{application_id}/{token}/messages/@original</c>),
/// never by their path: an interaction token in a log would let anyone post as the bot for 15 minutes.
/// </summary>
public sealed partial class DiscordRestClient(HttpClient http, DiscordRestOptions options, TimeProvider time, ILogger<DiscordRestClient>? logger = null)
{
    private readonly RateLimitTracker _limits = new(time);
    private readonly ILogger _log = logger ?? NullLogger<DiscordRestClient>.Instance;

    public Task<GatewayBot> GetGatewayBotAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "gateway/bot", "GET /gateway/bot", "GET gateway/bot", null, DiscordJsonContext.Default.GatewayBot, cancellationToken);

    public Task<DiscordApplication> GetCurrentApplicationAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "applications/@me", "GET /applications/@me", "GET applications/@me", null, DiscordJsonContext.Default.DiscordApplication, cancellationToken);

    /// <summary>Replaces every global command at once (production).</summary>
    public Task<List<ApplicationCommand>> BulkOverwriteGlobalCommandsAsync(string applicationId, IReadOnlyList<ApplicationCommand> commands, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, $"applications/{applicationId}/commands", $"PUT /applications/{applicationId}/commands", "PUT applications/{application_id}/commands",
            () => Json([.. commands], DiscordJsonContext.Default.ListApplicationCommand), DiscordJsonContext.Default.ListApplicationCommand, cancellationToken);

    /// <summary>Replaces one guild's commands at once (development: changes show at once).</summary>
    public Task<List<ApplicationCommand>> BulkOverwriteGuildCommandsAsync(string applicationId, string guildId, IReadOnlyList<ApplicationCommand> commands, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, $"applications/{applicationId}/guilds/{guildId}/commands", $"PUT /applications/{applicationId}/guilds/{guildId}/commands", "PUT applications/{application_id}/guilds/{guild_id}/commands",
            () => Json([.. commands], DiscordJsonContext.Default.ListApplicationCommand), DiscordJsonContext.Default.ListApplicationCommand, cancellationToken);

    /// <summary>The first answer to an interaction (PONG, a message, or a deferral), with files if any.</summary>
    public Task CreateInteractionResponseAsync(string interactionId, string token, InteractionResponse response, IReadOnlyList<FileUpload>? files = null, long? attachmentLimit = null, CancellationToken cancellationToken = default)
    {
        files ??= [];
        CheckSizes(files, attachmentLimit);
        if (files.Count > 0)
        {
            response = response with { Data = (response.Data ?? new InteractionCallbackData()) with { Attachments = FileUpload.References(files) } };
        }

        // Each interaction is its own rate-limit route (its id is the major parameter): one shared route
        // would make a burst of interactions wait for each other's buckets and miss the 3 s deadline.
        return SendAsync<object>(HttpMethod.Post, $"interactions/{interactionId}/{token}/callback", $"POST /interactions/{interactionId}/:token/callback", "POST interactions/{interaction_id}/{token}/callback",
            () => Body(response, DiscordJsonContext.Default.InteractionResponse, files), null, cancellationToken, exemptFromGlobal: true);
    }

    public Task EditOriginalResponseAsync(string applicationId, string token, MessagePayload message, IReadOnlyList<FileUpload>? files = null, long? attachmentLimit = null, CancellationToken cancellationToken = default) =>
        SendMessageAsync(HttpMethod.Patch, $"webhooks/{applicationId}/{token}/messages/@original", "webhooks/{application_id}/{token}/messages/@original", message, files, attachmentLimit, exemptFromGlobal: true, cancellationToken);

    public Task CreateFollowupMessageAsync(string applicationId, string token, MessagePayload message, IReadOnlyList<FileUpload>? files = null, long? attachmentLimit = null, CancellationToken cancellationToken = default) =>
        SendMessageAsync(HttpMethod.Post, $"webhooks/{applicationId}/{token}", "webhooks/{application_id}/{token}", message, files, attachmentLimit, exemptFromGlobal: true, cancellationToken);

    public Task DeleteOriginalResponseAsync(string applicationId, string token, CancellationToken cancellationToken = default) =>
        SendAsync<object>(HttpMethod.Delete, $"webhooks/{applicationId}/{token}/messages/@original", $"DELETE /webhooks/{applicationId}/{token}/messages/@original", "DELETE webhooks/{application_id}/{token}/messages/@original", null, null, cancellationToken, exemptFromGlobal: true);

    /// <summary>A plain channel message: how a result goes out once the interaction token has expired.</summary>
    public Task CreateMessageAsync(string channelId, MessagePayload message, IReadOnlyList<FileUpload>? files = null, long? attachmentLimit = null, CancellationToken cancellationToken = default) =>
        SendMessageAsync(HttpMethod.Post, $"channels/{channelId}/messages", "channels/{channel_id}/messages", message, files, attachmentLimit, exemptFromGlobal: false, cancellationToken);

    private Task SendMessageAsync(HttpMethod method, string path, string template, MessagePayload message, IReadOnlyList<FileUpload>? files, long? attachmentLimit, bool exemptFromGlobal, CancellationToken cancellationToken)
    {
        files ??= [];
        CheckSizes(files, attachmentLimit);
        if (files.Count > 0)
        {
            message = message with { Attachments = FileUpload.References(files) };
        }

        return SendAsync<object>(method, path, $"{method.Method} /{path}", $"{method.Method} {template}", () => Body(message, DiscordJsonContext.Default.MessagePayload, files), null, cancellationToken, exemptFromGlobal);
    }

    private static void CheckSizes(IReadOnlyList<FileUpload> files, long? limit)
    {
        if (limit is { } max && files.FirstOrDefault(f => f.Content.Length > max) is { } tooLarge)
        {
            throw new AttachmentTooLargeException(tooLarge.FileName, tooLarge.Content.Length, max);
        }
    }

    private static HttpContent Json<T>(T value, JsonTypeInfo<T> type) =>
        new StringContent(JsonSerializer.Serialize(value, type), Encoding.UTF8, "application/json");

    /// <summary>JSON alone, or multipart: payload_json then files[n]; built anew for every attempt.</summary>
    private static HttpContent Body<T>(T payload, JsonTypeInfo<T> type, IReadOnlyList<FileUpload> files)
    {
        if (files.Count == 0)
        {
            return Json(payload, type);
        }

        var multipart = new MultipartFormDataContent();
        multipart.Add(Json(payload, type), "payload_json");
        for (var i = 0; i < files.Count; i++)
        {
            var part = new ReadOnlyMemoryContent(files[i].Content);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            multipart.Add(part, $"files[{i}]", files[i].FileName);
        }

        return multipart;
    }

    /// <param name="route">The rate-limit bucket's key (it may hold a token: it never leaves this process).</param>
    /// <param name="template">The route with its parameters named, for logs.</param>
    private async Task<T> SendAsync<T>(HttpMethod method, string path, string route, string template, Func<HttpContent>? body, JsonTypeInfo<T>? result, CancellationToken cancellationToken, bool exemptFromGlobal = false)
    {
        for (var attempt = 0; ; attempt++)
        {
            long window;
            while (!_limits.TryReserve(route, exemptFromGlobal, out var wait, out window))
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }

            using var request = new HttpRequestMessage(method, new Uri(options.BaseAddress, path)) { Content = body?.Invoke() };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bot", options.Token);
            request.Headers.UserAgent.ParseAdd(options.UserAgent);
            HttpResponseMessage response;
            var started = time.GetTimestamp();
            LogSending(template, attempt + 1);
            try
            {
                response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _limits.Release(route, window);
                LogFailed(template, ex);
                throw;
            }

            var elapsed = time.GetElapsedTime(started);
            LogAnswered(template, (int)response.StatusCode, elapsed);

            using var disposeResponse = response;
            _limits.Observe(route, response.Headers, window);
            _limits.Release(route, window);
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return result is null || text.Length == 0 ? default! : JsonSerializer.Deserialize(text, result)!;
            }

            var error = TryError(text);
            var retryable = response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
            if (!retryable || attempt >= options.MaxRetries)
            {
                var fields = error?.FieldErrors() is { Length: > 0 } f ? $": {f}" : "";
                throw new DiscordHttpException((int)response.StatusCode, error?.Code, (error?.Message ?? response.ReasonPhrase ?? "error") + fields);
            }

            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var retryAfter = error?.RetryAfter ?? response.Headers.RetryAfter?.Delta?.TotalSeconds ?? 1;
                var global = error?.Global == true || (response.Headers.TryGetValues("X-RateLimit-Global", out var g) && g.Contains("true"));
                LogRetrying(template, (int)response.StatusCode, retryAfter * 1000);
                _limits.Limited(route, TimeSpan.FromSeconds(retryAfter), global);
            }
            else
            {
                // A passing server error: back off 0.25 s, 0.5 s, 1 s, ...
                LogRetrying(template, (int)response.StatusCode, 250 << attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(250 << attempt), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static DiscordError? TryError(string text)
    {
        try
        {
            return text.StartsWith('{') ? JsonSerializer.Deserialize(text, DiscordJsonContext.Default.DiscordError) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Trace, Message = "Sending {Route} (attempt {Attempt})")]
    private partial void LogSending(string route, int attempt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Route} answered {Status} in {Elapsed}")]
    private partial void LogAnswered(string route, int status, TimeSpan elapsed);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Route} answered {Status}; retrying in {Milliseconds:0} ms")]
    private partial void LogRetrying(string route, int status, double milliseconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Route} failed before an answer")]
    private partial void LogFailed(string route, Exception error);
}
