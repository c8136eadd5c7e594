using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ComposerBot.Discord.Interactions;
using ComposerBot.Discord.Rest;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ComposerBot.Discord.Tests;

/// <summary>
/// Fuzzing the HTTP interactions endpoint with the real module stack: 10,000 generated bodies (valid JSON of
/// random shape, interactions with fields of the wrong type, truncated JSON, bytes that are not JSON, huge
/// values), each correctly signed. Every one is answered 200, 400 or 413 (never a server error), and the
/// endpoint still answers a PING and a command afterwards.
/// </summary>
public sealed class InteractionFuzzTests : IAsyncLifetime
{
    private const int Bodies = 10_000;
    private ModuleServer _server = null!;

    public async Task InitializeAsync() => _server = await ModuleServer.StartAsync(LogLevel.Critical);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static readonly string[] Keys = ["id", "application_id", "type", "token", "data", "name", "options", "value", "focused", "user", "member", "channel_id", "guild_id", "custom_id", "values", "components", "resolved", "message", "locale", "x"];

    private static Gen<JsonNode?> Value(int depth) => FuzzJson.Value(depth, Keys);

    /// <summary>An interaction-shaped body whose fields may have any type, any value, or be missing.</summary>
    private static readonly Gen<string> Interaction =
        from type in Gen.Frequency((3, Gen.Elements<JsonNode?>(2, 3, 4, 5)), (1, Value(0)))
        from name in Gen.Frequency((3, Gen.Constant<JsonNode?>("echo")), (1, Value(0)))
        from options in Gen.Frequency(
            (2, Gen.Constant<JsonNode?>(new JsonArray(new JsonObject { ["name"] = "text", ["type"] = 3, ["value"] = "hi" }))),
            (3, Value(2)))
        from token in Gen.Frequency((3, Gen.Constant<JsonNode?>("fuzz-token")), (1, Value(0)))
        from extra in Value(2)
        select new JsonObject
        {
            ["id"] = "1", ["application_id"] = "99", ["type"] = type?.DeepClone(), ["token"] = token?.DeepClone(), ["channel_id"] = "5",
            ["user"] = new JsonObject { ["id"] = "42" },
            ["data"] = new JsonObject { ["id"] = "1", ["name"] = name?.DeepClone(), ["type"] = 1, ["options"] = options?.DeepClone(), ["extra"] = extra?.DeepClone() },
        }.ToJsonString();

    private static readonly Gen<string> Body = Gen.Frequency(
        (5, Interaction),
        (2, Value(3).Select(v => v?.ToJsonString() ?? "null")),
        (1, Interaction.Zip(Gen.Choose(0, 100)).Select(p => p.Item1[..(p.Item1.Length * p.Item2 / 100)])), // truncated
        (1, ArbMap.Default.GeneratorFor<string>().Where(s => s is not null)), // not JSON
        (1, Gen.Choose(1, 200_000).Select(n => $$$"""{"id":"1","type":2,"token":"t","data":{"name":"echo","options":[{"name":"text","type":3,"value":"{{{new string('x', n)}}}"}]}}""")));

    [Fact]
    public async Task Ten_thousand_generated_bodies_get_a_clean_answer_and_the_endpoint_stays_up()
    {
        var bodies = Body.Sample(Bodies, 40);
        Assert.Equal(Bodies, bodies.Length);
        var statuses = new Dictionary<HttpStatusCode, int>();
        foreach (var body in bodies)
        {
            using var response = await _server.Signer.PostAsync(_server.Endpoint, body);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, $"{(int)response.StatusCode} for {body[..Math.Min(body.Length, 300)]}");
            statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
        }

        // Both kinds of answer were reached (the generator is not all noise, nor all valid).
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.OK) > 100, string.Join(", ", statuses));
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.BadRequest) > 100, string.Join(", ", statuses));

        using var ping = await _server.Signer.PostAsync(_server.Endpoint, """{"id":"1","application_id":"99","type":1,"token":"t"}""");
        Assert.Equal("""{"type":1}""", await ping.Content.ReadAsStringAsync());
        using var echo = await _server.Signer.PostAsync(_server.Endpoint, """{"id":"2","application_id":"99","type":2,"token":"u","channel_id":"5","user":{"id":"42"},"data":{"id":"1","name":"echo","type":1,"options":[{"name":"text","type":3,"value":"still here"}]}}""");
        Assert.Contains("still here", await echo.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
