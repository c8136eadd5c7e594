using ComposerBot.Discord.Interactions;
using ComposerBot.Discord.Rest;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ComposerBot.Discord.Tests;

/// <summary>
/// The test modules served over the HTTP interactions endpoint, with the stand-in Discord behind them for
/// REST and a client that signs requests as Discord does.
/// </summary>
public sealed class ModuleServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ModuleServer(WebApplication app, StandInDiscord discord, SigningClient signer, Uri endpoint) =>
        (_app, Discord, Signer, Endpoint) = (app, discord, signer, endpoint);

    public StandInDiscord Discord { get; }

    public SigningClient Signer { get; }

    public Uri Endpoint { get; }

    public static async Task<ModuleServer> StartAsync(LogLevel logLevel = LogLevel.Warning)
    {
        var discord = await StandInDiscord.StartAsync();
        var signer = new SigningClient();
        var (app, address) = await LocalServer.StartAsync(
            services => services
                .AddLogging(l => l.SetMinimumLevel(logLevel))
                .AddSingleton(new Probe())
                .AddDiscordRest(new DiscordRestOptions { BaseAddress = discord.BaseAddress, Token = StandInDiscord.Token })
                .AddDiscordInteractions(typeof(TestModule)),
            app => app.MapDiscordInteractions("/interactions", signer.PublicKeyHex));
        return new ModuleServer(app, discord, signer, new Uri(address + "/interactions"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await Discord.DisposeAsync();
        Signer.Dispose();
    }
}
