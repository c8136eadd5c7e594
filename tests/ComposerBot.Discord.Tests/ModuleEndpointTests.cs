using System.Text.Json.Nodes;
using ComposerBot.Discord.Interactions;
using ComposerBot.Discord.Rest;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ComposerBot.Discord.Tests;

/// <summary>The modules served over the HTTP interactions endpoint: the first response is the HTTP reply.</summary>
public sealed class ModuleEndpointTests : IAsyncLifetime, IDisposable
{
    private readonly SigningClient _signer = new();
    private StandInDiscord _discord = null!;
    private WebApplication _app = null!;
    private Uri _endpoint = null!;

    public async Task InitializeAsync()
    {
        _discord = await StandInDiscord.StartAsync();
        string address;
        (_app, address) = await LocalServer.StartAsync(
            services => services
                .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
                .AddSingleton(new Probe())
                .AddDiscordRest(new DiscordRestOptions { BaseAddress = _discord.BaseAddress, Token = StandInDiscord.Token })
                .AddDiscordInteractions(typeof(TestModule)),
            app => app.MapDiscordInteractions("/interactions", _signer.PublicKeyHex));
        _endpoint = new Uri(address + "/interactions");
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _discord.DisposeAsync();
    }

    public void Dispose() => _signer.Dispose();

    private static string Command(string name, string token, string options = "[]") =>
        $$$"""{"id":"1","application_id":"99","type":2,"token":"{{{token}}}","channel_id":"5","user":{"id":"42"},"data":{"id":"1","name":"{{{name}}}","type":1,"options":{{{options}}}}}""";

    [Fact]
    public async Task A_command_is_answered_in_the_http_reply()
    {
        _discord.Issue("h1");
        using var response = await _signer.PostAsync(_endpoint, Command("echo", "h1", """[{"name":"text","type":3,"value":"hi"}]"""));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(4, body["type"]!.GetValue<int>());
        Assert.Equal("hi (calm, any)", body["data"]!["content"]!.GetValue<string>());
        Assert.DoesNotContain(_discord.Requests, r => r.Path.Contains("/h1", StringComparison.Ordinal)); // nothing over REST
    }

    [Fact]
    public async Task A_slow_command_is_deferred_in_the_reply_and_finished_over_rest()
    {
        var started = DateTimeOffset.UtcNow;
        using var response = await _signer.PostAsync(_endpoint, Command("slow", "h2"));
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(3));
        Assert.Equal(5, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["type"]!.GetValue<int>());
        _discord.Issue("h2");
        _discord.Acknowledge("h2"); // the HTTP reply was the acknowledgement
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_discord.Requests.Count(r => r.Path.Contains("/h2", StringComparison.Ordinal)) < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var requests = _discord.Requests.Where(r => r.Path.Contains("/h2", StringComparison.Ordinal)).ToList();
        Assert.Equal(["PATCH", "POST"], requests.Select(r => r.Method));
        Assert.Equal(0, _discord.RuleBreaks);
    }
}
