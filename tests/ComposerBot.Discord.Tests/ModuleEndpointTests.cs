using System.Text.Json.Nodes;
using ComposerBot.Discord.Interactions;
using ComposerBot.Discord.Rest;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ComposerBot.Discord.Tests;

/// <summary>The modules served over the HTTP interactions endpoint: the first response is the HTTP reply.</summary>
public sealed class ModuleEndpointTests : IAsyncLifetime
{
    private ModuleServer _server = null!;

    public async Task InitializeAsync() => _server = await ModuleServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Command(string name, string token, string options = "[]") =>
        $$$"""{"id":"1","application_id":"99","type":2,"token":"{{{token}}}","channel_id":"5","user":{"id":"42"},"data":{"id":"1","name":"{{{name}}}","type":1,"options":{{{options}}}}}""";

    [Fact]
    public async Task A_command_is_answered_in_the_http_reply()
    {
        _server.Discord.Issue("h1");
        using var response = await _server.Signer.PostAsync(_server.Endpoint, Command("echo", "h1", """[{"name":"text","type":3,"value":"hi"}]"""));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(4, body["type"]!.GetValue<int>());
        Assert.Equal("hi (calm, any)", body["data"]!["content"]!.GetValue<string>());
        Assert.DoesNotContain(_server.Discord.Requests, r => r.Path.Contains("/h1", StringComparison.Ordinal)); // nothing over REST
    }

    [Fact]
    public async Task A_slow_command_is_deferred_in_the_reply_and_finished_over_rest()
    {
        var started = DateTimeOffset.UtcNow;
        using var response = await _server.Signer.PostAsync(_server.Endpoint, Command("slow", "h2"));
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(3));
        Assert.Equal(5, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["type"]!.GetValue<int>());
        _server.Discord.Issue("h2");
        _server.Discord.Acknowledge("h2"); // the HTTP reply was the acknowledgement
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_server.Discord.Requests.Count(r => r.Path.Contains("/h2", StringComparison.Ordinal)) < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var requests = _server.Discord.Requests.Where(r => r.Path.Contains("/h2", StringComparison.Ordinal)).ToList();
        Assert.Equal(["PATCH", "POST"], requests.Select(r => r.Method));
        Assert.Equal(0, _server.Discord.RuleBreaks);
        Assert.Empty(_server.Discord.Rejections); // every request one Discord's published contract accepts
    }
}
