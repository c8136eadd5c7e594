using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ComposerBot.Discord.Models;
using ComposerBot.Discord.Tests.Contract;

namespace ComposerBot.Discord.Tests;

/// <summary>
/// The stand-in Discord held to Discord's published OpenAPI description: bad requests are refused with
/// Discord's status and code (and the field at fault), its answers are what the spec describes, and our
/// models read what the spec says Discord always sends.
/// </summary>
public sealed class DiscordContractTests : IAsyncLifetime, IDisposable
{
    private const string Bot = "Bot " + StandInDiscord.Token;
    private static readonly string LongText = new('x', 4001);
    private readonly HttpClient _http = new();
    private StandInDiscord _discord = null!;

    public async Task InitializeAsync()
    {
        _discord = await StandInDiscord.StartAsync();
        _discord.Issue("live");
        _discord.Acknowledge("live");
        _discord.Issue("answered");
        _discord.Acknowledge("answered");
        _discord.Issue("fresh");
    }

    public async Task DisposeAsync()
    {
        Assert.Empty(_discord.Crashes);
        await _discord.DisposeAsync();
    }

    public void Dispose() => _http.Dispose();

    /// <summary>A hand-made bad request: what is sent, and Discord's status, code and the field it names.</summary>
    public sealed record BadRequest(string Method, string Path, string? Body, int Status, int Code, string? Field = null)
    {
        public string Authorization { get; init; } = Bot;

        /// <summary>Multipart parts as (name, file name); the body goes as payload_json.</summary>
        public (string Name, string FileName)[]? Files { get; init; }

        public override string ToString() => $"{Method} {Path} {Body?[..Math.Min(Body.Length, 60)]}";
    }

    private static readonly string Embeds11 = $$"""{"embeds":[{{string.Join(',', Enumerable.Repeat("{\"title\":\"t\"}", 11))}}]}""";
    private static readonly string Options26 = $$"""[{"name":"x","description":"d","options":[{{string.Join(',', Enumerable.Range(0, 26).Select(i => $"{{\"type\":3,\"name\":\"o{i}\",\"description\":\"d\"}}"))}}]}]""";

    public static TheoryData<BadRequest> BadRequests => new()
    {
        // Authentication (the spec's BotToken security) and routes.
        new("GET", "gateway/bot", null, 401, 0) { Authorization = "" },
        new("GET", "gateway/bot", null, 401, 0) { Authorization = "Bot not-the-token" },
        new("GET", "applications/@me", null, 401, 0) { Authorization = "Bearer " + StandInDiscord.Token },
        new("POST", "channels/7/messages", """{"content":"hi"}""", 401, 0) { Authorization = "" },
        new("POST", "no/such/route", "{}", 404, 0),
        new("DELETE", "channels/7/messages", null, 404, 0),
        new("GET", "channels/7/messages", null, 404, 0), // in the spec, but a bot that never reads history has no business there

        // Path and query parameters.
        new("POST", "channels/abc/messages", """{"content":"hi"}""", 400, 50035, "channel_id"),
        new("PUT", "applications/x1/commands", "[]", 400, 50035, "application_id"),
        new("POST", "interactions/not-a-snowflake/live/callback", """{"type":5}""", 400, 50035, "interaction_id"),
        new("POST", "webhooks/99/live?wait=maybe", """{"content":"hi"}""", 400, 50035, "wait"),
        new("POST", "webhooks/99/live?thread_id=abc", """{"content":"hi"}""", 400, 50035, "thread_id"),

        // Message bodies.
        new("POST", "channels/7/messages", "{\"content\":\"hi\"", 400, 50109),
        new("POST", "channels/7/messages", """{"content":123}""", 400, 50035, "content"),
        new("POST", "channels/7/messages", $$"""{"content":"{{LongText}}"}""", 400, 50035, "content"),
        new("POST", "channels/7/messages", Embeds11, 400, 50035, "embeds"),
        new("POST", "channels/7/messages", """{"embeds":[5]}""", 400, 50035, "embeds.0"),
        new("POST", "channels/7/messages", $$"""{"embeds":[{"title":"{{new string('t', 257)}}"}]}""", 400, 50035, "embeds.0.title"),
        new("POST", "channels/7/messages", """{"allowed_mentions":{"parse":["everybody"]}}""", 400, 50035, "allowed_mentions.parse.0"),
        new("POST", "channels/7/messages", """{"content":"x","nonce":"a-nonce-longer-than-25-characters"}""", 400, 50035, "nonce"),
        new("POST", "channels/7/messages", """{"content":"x","flags":"ephemeral"}""", 400, 50035, "flags"),
        new("POST", "channels/7/messages", """{"content":"x","sticker_ids":["1","2","3","4"]}""", 400, 50035, "sticker_ids"),
        new("PATCH", "webhooks/99/live/messages/@original", """{"content":["a"]}""", 400, 50035, "content"),

        // Files: parts named files[n] (at most 10), each attachment id naming an uploaded part.
        new("POST", "channels/7/messages", """{"attachments":[{"id":"0","filename":"a.mp3"}]}""", 400, 50035, "attachments.0.id") { Files = [] },
        new("POST", "channels/7/messages", """{"attachments":[{"id":"1","filename":"a.mp3"}]}""", 400, 50035, "attachments.0.id") { Files = [("files[0]", "a.mp3")] },
        new("POST", "channels/7/messages", """{"content":"x"}""", 400, 50035, "file") { Files = [("file", "a.mp3")] },
        new("POST", "channels/7/messages", """{"content":"x"}""", 400, 50035, "files[10]") { Files = [("files[10]", "a.mp3")] },
        new("POST", "channels/7/messages", """{"attachments":[{"id":0,"filename":"a.mp3"}]}""", 400, 50035, "attachments.0.id") { Files = [("files[0]", "a.mp3")] },

        // Interaction responses.
        new("POST", "interactions/123/fresh/callback", "{}", 400, 50035, "type"),
        new("POST", "interactions/123/fresh/callback", """{"type":99}""", 400, 50035, "type"),
        new("POST", "interactions/123/fresh/callback", """{"type":4,"data":{"content":5}}""", 400, 50035, "data.content"),
        new("POST", "interactions/123/fresh/callback", """{"type":4,"data":{"flags":"x"}}""", 400, 50035, "data.flags"),
        new("POST", "interactions/123/never-issued/callback", """{"type":5}""", 404, 10062),
        new("POST", "interactions/123/answered/callback", """{"type":5}""", 400, 40060),
        new("PATCH", "webhooks/99/never-issued/messages/@original", """{"content":"x"}""", 404, 10015),
        new("POST", "webhooks/99/fresh", """{"content":"x"}""", 404, 10015), // a follow-up before any first response

        // Command registration.
        new("PUT", "applications/99/commands", """{"name":"compose"}""", 400, 50035),
        new("PUT", "applications/99/commands", """[{"name":"a-command-name-longer-than-32-chars","description":"d"}]""", 400, 50035, "0.name"),
        new("PUT", "applications/99/commands", $$"""[{"name":"compose","description":"{{new string('d', 101)}}"}]""", 400, 50035, "0.description"),
        new("PUT", "applications/99/commands", """[{"description":"no name"}]""", 400, 50035, "0.name"),
        new("PUT", "applications/99/guilds/5/commands", Options26, 400, 50035, "0.options"),
        new("PUT", "applications/99/guilds/5/commands", """[{"name":"x","description":"d","options":[{"type":3,"name":"o","description":"d","required":"yes"}]}]""", 400, 50035, "0.options.0.required"),
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_request_that_breaks_discords_contract_is_refused_with_discords_code(BadRequest bad)
    {
        using var request = new HttpRequestMessage(new HttpMethod(bad.Method), new Uri(_discord.BaseAddress, bad.Path));
        if (bad.Authorization.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Authorization", bad.Authorization);
        }

        if (bad.Files is { } files)
        {
            var form = new MultipartFormDataContent { { new StringContent(bad.Body ?? "{}", Encoding.UTF8, "application/json"), "payload_json" } };
            foreach (var (name, fileName) in files)
            {
                var part = new ByteArrayContent([1, 2, 3]);
                part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                form.Add(part, name, fileName);
            }

            request.Content = form;
        }
        else if (bad.Body is not null)
        {
            request.Content = new StringContent(bad.Body, Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(bad.Status == (int)response.StatusCode, $"{(int)response.StatusCode}: {text}");
        using var json = JsonDocument.Parse(text);
        Assert.True(json.RootElement.GetProperty("code").GetInt32() == bad.Code, text);
        Assert.True(json.RootElement.TryGetProperty("message", out _), text);
        if (bad.Field is { } field)
        {
            var node = json.RootElement.GetProperty("errors");
            foreach (var segment in field.Split('.'))
            {
                Assert.True(node.TryGetProperty(segment, out node), $"no errors.{field} in {text}");
            }

            var first = node.GetProperty("_errors")[0];
            Assert.False(string.IsNullOrEmpty(first.GetProperty("code").GetString()), text);
            Assert.False(string.IsNullOrEmpty(first.GetProperty("message").GetString()), text);
        }

        // The client that sent it (this test) is told exactly what was wrong; nothing was delivered.
        Assert.Empty(_discord.ChannelMessages);
    }

    [Fact]
    public void Every_answer_the_stand_in_builds_is_one_the_spec_allows()
    {
        var contract = DiscordContract.Shared;
        foreach (var (method, path) in new[]
        {
            ("GET", "gateway/bot"), ("GET", "applications/@me"), ("PUT", "applications/99/commands"),
            ("PATCH", "webhooks/99/t/messages/@original"), ("POST", "webhooks/99/t"), ("POST", "channels/7/messages"),
        })
        {
            var operation = contract.Find(method, path)!;
            var schema = contract.ResponseSchema(operation)!.Value;
            var minimal = JsonSerializer.SerializeToElement(contract.Minimal(schema));
            Assert.True(contract.Violations(schema, minimal) is { Count: 0 }, $"{method} {path}: {string.Join("; ", contract.Violations(schema, minimal))}");
        }
    }

    [Fact]
    public async Task The_stand_ins_answers_to_our_client_validate_against_the_spec()
    {
        using var client = new TestRest(_discord);
        await client.Rest.GetGatewayBotAsync();
        await client.Rest.GetCurrentApplicationAsync();
        await client.Rest.BulkOverwriteGlobalCommandsAsync("99", [new ApplicationCommand { Name = "compose", Description = "Compose a track" }]);
        await client.Rest.CreateMessageAsync("7", new MessagePayload { Content = "a track" });

        var contract = DiscordContract.Shared;
        foreach (var (request, body) in client.Answers)
        {
            var operation = contract.Find(request.Method.Method, request.RequestUri!.AbsolutePath.Replace("/api/v10/", "", StringComparison.Ordinal))!;
            using var json = JsonDocument.Parse(body);
            var violations = contract.Violations(contract.ResponseSchema(operation)!.Value, json.RootElement);
            Assert.True(violations.Count == 0, $"{request.RequestUri}: {string.Join("; ", violations)}");
        }

        Assert.Equal(4, client.Answers.Count);
        Assert.Empty(_discord.Rejections);
    }

    public static TheoryData<string, string> ResponseModels => new()
    {
        { "GET gateway/bot", nameof(GatewayBot) },
        { "GET applications/@me", nameof(DiscordApplication) },
        { "PUT applications/99/commands", nameof(ApplicationCommand) },
    };

    /// <summary>
    /// The response models our client reads: every field they name is a field of the spec's response, every
    /// field they cannot do without is one the spec marks required (Discord always sends it), and a response
    /// holding only the required fields reads without error.
    /// </summary>
    [Theory]
    [MemberData(nameof(ResponseModels))]
    public void Our_models_read_what_the_spec_says_discord_always_sends(string route, string model)
    {
        var contract = DiscordContract.Shared;
        var operation = contract.Find(route.Split(' ')[0], route.Split(' ')[1])!;
        var schema = contract.Resolve(contract.ResponseSchema(operation)!.Value);
        var info = DiscordJsonContext.Default.GetTypeInfo(model switch
        {
            nameof(GatewayBot) => typeof(GatewayBot),
            nameof(DiscordApplication) => typeof(DiscordApplication),
            _ => typeof(ApplicationCommand),
        })!;
        var objectSchema = schema.TryGetProperty("items", out var items) ? contract.Resolve(items) : schema;
        CheckModel(contract, info, objectSchema, model);

        // A list answer holds one item, its required fields only.
        var minimal = schema.TryGetProperty("items", out var each) ? $"[{contract.Minimal(each)!.ToJsonString()}]" : JsonSerializer.Serialize(contract.Minimal(schema));
        // Read strictly: a null where the model says never-null, or a missing constructor parameter, throws.
        var strict = new JsonSerializerOptions(DiscordJsonContext.Default.Options) { RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true };
        var read = JsonSerializer.Deserialize(minimal, strict.GetTypeInfo(schema.TryGetProperty("items", out _) ? typeof(List<ApplicationCommand>) : info.Type));
        Assert.NotNull(read);
    }

    private static void CheckModel(DiscordContract contract, JsonTypeInfo info, JsonElement schema, string where)
    {
        var properties = schema.GetProperty("properties");
        var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()).ToHashSet() : [];
        foreach (var property in info.Properties)
        {
            Assert.True(properties.TryGetProperty(property.Name, out var fieldSchema), $"{where}.{property.Name} is not a field of the spec's response");
            // Read as always there: a value type that is not Nullable<T>, or a reference not annotated nullable.
            var alwaysThere = property.PropertyType.IsValueType
                ? Nullable.GetUnderlyingType(property.PropertyType) is null
                : property.AttributeProvider is System.Reflection.PropertyInfo member && new System.Reflection.NullabilityInfoContext().Create(member).ReadState == System.Reflection.NullabilityState.NotNull;
            Assert.False(alwaysThere && !required.Contains(property.Name), $"{where}.{property.Name} is read as always there, but the spec does not require it");
            Assert.False(alwaysThere && contract.AllowsNull(fieldSchema), $"{where}.{property.Name} is read as never null, but the spec lets Discord send null");

            var nested = contract.Resolve(fieldSchema);
            if (property.PropertyType.IsClass && property.PropertyType != typeof(string) && !property.PropertyType.IsGenericType && nested.TryGetProperty("properties", out _))
            {
                CheckModel(contract, DiscordJsonContext.Default.GetTypeInfo(property.PropertyType)!, nested, $"{where}.{property.Name}");
            }
        }
    }

    /// <summary>Our REST client with its raw answers kept, to hold them to the spec.</summary>
    private sealed class TestRest : IDisposable
    {
        private readonly HttpClient _http;

        public TestRest(StandInDiscord discord)
        {
            _http = new HttpClient(new Recorder(Answers) { InnerHandler = new HttpClientHandler() });
            Rest = new Rest.DiscordRestClient(_http, new Rest.DiscordRestOptions { BaseAddress = discord.BaseAddress, Token = StandInDiscord.Token }, TimeProvider.System);
        }

        public List<(HttpRequestMessage Request, string Body)> Answers { get; } = [];

        public Rest.DiscordRestClient Rest { get; }

        public void Dispose() => _http.Dispose();

        private sealed class Recorder(List<(HttpRequestMessage, string)> answers) : DelegatingHandler
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var response = await base.SendAsync(request, cancellationToken);
                if (response.IsSuccessStatusCode && response.Content.Headers.ContentLength != 0)
                {
                    answers.Add((request, await response.Content.ReadAsStringAsync(cancellationToken)));
                }

                return response;
            }
        }
    }
}
