using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using ComposerBot.Bot;
using ComposerBot.Discord;
using ComposerBot.Discord.Gateway;
using ComposerBot.Discord.Interactions;
using ComposerBot.Discord.Rest;
using ComposerBot.Discord.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ComposerBot.Tests;

/// <summary>The bot's commands against the stand-in Discord: registered by the CLI, answered by the modules.</summary>
public sealed class BotDiscordTests : IAsyncLifetime
{
    private const string Guild = "123456789012345678";
    private StandInDiscord _discord = null!;

    public async Task InitializeAsync() => _discord = await StandInDiscord.StartAsync();

    public async Task DisposeAsync() => await _discord.DisposeAsync();

    private Dictionary<string, string> Environment(string token = StandInDiscord.Token) => new()
    {
        ["DISCORD_TOKEN"] = token,
        ["DISCORD_API_URL"] = _discord.BaseAddress.ToString(),
    };

    [Fact]
    public void Register_commands_overwrites_the_guilds_commands_in_one_request()
    {
        var result = CliRunner.Run(Environment(), "register-commands", "--guild", Guild);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal($"Registered 10 commands in guild {Guild}: /compose, /stinger, /streamkit, /continue, /queue, /status, /settings, /help, /license, /verify", result.Stdout.Trim());
        var put = Assert.Single(_discord.Requests, r => r.Method == "PUT");
        Assert.Equal($"applications/99/guilds/{Guild}/commands", put.Path); // the application id came from /applications/@me
        var commands = JsonNode.Parse(put.PayloadJson)!.AsArray();
        Assert.Equal(["compose", "stinger", "streamkit", "continue", "queue", "status", "settings", "help", "license", "verify"], commands.Select(c => c!["name"]!.GetValue<string>()));
        Assert.All(commands, c => Assert.Null(c!["integration_types"]));
    }

    [Fact]
    public void Register_commands_globally_makes_a_user_installable_app_that_works_in_dms()
    {
        var environment = Environment();
        environment["DISCORD_APPLICATION_ID"] = "555";
        var result = CliRunner.Run(environment, "register-commands", "--global");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var put = Assert.Single(_discord.Requests);
        Assert.Equal("applications/555/commands", put.Path);
        var first = JsonNode.Parse(put.PayloadJson)!.AsArray()[0]!;
        Assert.Equal("[0,1]", first["integration_types"]!.ToJsonString());
        Assert.Equal("[0,1,2]", first["contexts"]!.ToJsonString());
    }

    [Fact]
    public void Print_shows_the_commands_without_a_token()
    {
        var result = CliRunner.Run("register-commands", "--global", "--print");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(10, JsonDocument.Parse(result.Stdout).RootElement.GetArrayLength());
    }

    [Theory]
    [InlineData(null, "--guild", Guild, "DISCORD_TOKEN is not set")]
    [InlineData("wrong", "--guild", Guild, "401")]
    [InlineData(StandInDiscord.Token, "--guild", "12", "is not a guild id")]
    [InlineData(StandInDiscord.Token, "--global", "--guild", "not both")]
    public void Mistakes_are_one_clear_line(string? token, string option, string value, string message)
    {
        var environment = Environment(token ?? "");
        var args = option == "--global" ? new[] { "register-commands", "--global", "--guild", Guild } : ["register-commands", option, value];
        var result = CliRunner.Run(environment, args);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, Assert.Single(result.StderrLines), StringComparison.Ordinal);
        Assert.DoesNotContain(_discord.Requests, r => r.Method == "PUT");
    }

    [Theory]
    [InlineData("help", "ComposerBot: original music on request")]
    [InlineData("license", "Your tracks are yours")]
    public async Task Help_and_license_answer_the_user_privately(string name, string title)
    {
        await using var services = new ServiceCollection()
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .AddDiscordRest(new DiscordRestOptions { BaseAddress = _discord.BaseAddress, Token = StandInDiscord.Token })
            .AddDiscordInteractions([.. BotModules.All])
            .BuildServiceProvider();
        var events = Channel.CreateUnbounded<GatewayDispatch>();
        using var stop = new CancellationTokenSource();
        var listening = services.GetRequiredService<GatewayInteractionListener>().RunAsync(events.Reader, stop.Token);
        _discord.Issue("tok");
        var interaction = $$$"""{"id":"1","application_id":"99","type":2,"token":"tok","channel_id":"5","user":{"id":"42"},"data":{"id":"1","name":"{{{name}}}","type":1}}""";
        await events.Writer.WriteAsync(new GatewayDispatch("INTERACTION_CREATE", 1, JsonDocument.Parse(interaction).RootElement.Clone()));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!_discord.Requests.Any(r => r.Path.StartsWith("interactions/1/tok", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        events.Writer.Complete();
        await listening;
        var body = JsonNode.Parse(Assert.Single(_discord.Requests).PayloadJson)!;
        Assert.Equal(4, body["type"]!.GetValue<int>());
        Assert.Equal(64, body["data"]!["flags"]!.GetValue<int>());
        Assert.Equal(title, body["data"]!["embeds"]![0]!["title"]!.GetValue<string>());
        Assert.Equal(0, _discord.RuleBreaks);
        Assert.Empty(_discord.Rejections); // every request one Discord's published contract accepts
        Assert.Equal(0, _discord.Violations); // no request over its rate-limit bucket
        Assert.Empty(_discord.Gateway.RuleCloses); // no gateway rule broken
    }
}
