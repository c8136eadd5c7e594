namespace ComposerBot.Discord.Models;

/// <summary><c>GET /gateway/bot</c>: where to connect, how many shards, and the Identify budget.</summary>
public sealed record GatewayBot(string Url, int Shards, SessionStartLimit SessionStartLimit);

public sealed record SessionStartLimit(int Total, int Remaining, long ResetAfter, int MaxConcurrency);

/// <summary><c>GET /applications/@me</c>.</summary>
public sealed record DiscordApplication(string Id, string Name);

/// <summary>Discord's error body: <c>{code, message}</c>, and for 429s <c>retry_after</c> and <c>global</c>.</summary>
public sealed record DiscordError(int? Code, string? Message, double? RetryAfter, bool? Global)
{
    /// <summary>Invalid Form Body (50035): which field broke which rule, nested as the request was.</summary>
    public System.Text.Json.JsonElement? Errors { get; init; }

    /// <summary>
    /// The field errors in one line, each as its path and Discord's message:
    /// "0.options.1.name: Must be 32 or fewer in length (BASE_TYPE_MAX_LENGTH)"; empty when there are none.
    /// </summary>
    public string FieldErrors()
    {
        var found = new List<string>();
        void Walk(System.Text.Json.JsonElement node, string path)
        {
            if (node.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                return;
            }

            foreach (var property in node.EnumerateObject())
            {
                if (property.Name == "_errors" && property.Value.ValueKind == System.Text.Json.JsonValueKind.Array)
                {
                    foreach (var error in property.Value.EnumerateArray())
                    {
                        var message = error.TryGetProperty("message", out var m) ? m.ToString() : null;
                        // Discord sends text codes (BASE_TYPE_REQUIRED); its OpenAPI spec types them as integers: read either.
                        var code = !error.TryGetProperty("code", out var c) ? null : c.ValueKind == System.Text.Json.JsonValueKind.String ? c.GetString() : c.GetRawText();
                        found.Add($"{(path.Length == 0 ? "body" : path)}: {message}{(code is null ? "" : $" ({code})")}");
                    }
                }
                else
                {
                    Walk(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}");
                }
            }
        }

        if (Errors is { } errors)
        {
            Walk(errors, "");
        }

        return string.Join("; ", found);
    }
}
