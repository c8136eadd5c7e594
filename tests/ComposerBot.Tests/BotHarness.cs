using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using ComposerBot.Bot;
using ComposerBot.Discord.Gateway;
using ComposerBot.Discord.Interactions;
using ComposerBot.Discord.Tests;
using ComposerBot.Jobs;
using ComposerBot.Rendering;
using ComposerBot.Studio;
using ComposerBot.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ComposerBot.Tests;

/// <summary>
/// The bot as serve runs it, against the stand-in Discord: interactions arrive as the gateway delivers them,
/// the command modules answer through REST, a real worker composes on a SQLite queue in a temporary
/// folder, and the track is posted back. Used by the bot's tests and by its benchmark.
/// </summary>
public sealed class BotHarness : IAsyncDisposable
{
    public const string Guild = "123456789012345678";
    public const string ChannelId = "5";
    private readonly TempDirectory _dir = new();
    private readonly Channel<GatewayDispatch> _events = Channel.CreateUnbounded<GatewayDispatch>();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<IHostedService> _hosted = [];
    private Task _listening = Task.CompletedTask;
    private int _nextId;

    private BotHarness(StandInDiscord discord, ServiceProvider services)
    {
        Discord = discord;
        Services = services;
    }

    public StandInDiscord Discord { get; }

    public ServiceProvider Services { get; }

    public string Folder => _dir.Path;

    /// <summary>The worker's data folder (queue, requests, the receipts' signing key).</summary>
    public string DataDirectory { get; private init; } = "";

    /// <summary>Every interaction token issued so far (secrets: none may appear in a log).</summary>
    public IReadOnlyCollection<string> Tokens => _tokens;

    private readonly ConcurrentQueue<string> _tokens = new();

    /// <summary>Starts the stand-in Discord and the bot with a worker; <paramref name="generator"/> ngram (fast) or auto (the shipped model).</summary>
    /// <param name="logs">Receives every log entry at every level (the test that looks for secrets in logs).</param>
    public static async Task<BotHarness> StartAsync(TimeProvider? clock = null, string generator = "ngram", IReadOnlyDictionary<string, string?>? settings = null, ILoggerProvider? logs = null)
    {
        var discord = await StandInDiscord.StartAsync();
        var dir = new TempDirectory();
        var values = new Dictionary<string, string?>
        {
            ["Jobs:DataDirectory"] = Path.Combine(dir.Path, "data"),
            ["Jobs:PollInterval"] = "00:00:00.050",
            ["Composer:Generator"] = generator,
            ["Models:Directory"] = RepositoryPaths.Models,
            ["Rendering:SoundFont"] = ExternalTools.SystemSoundFont,
            ["DISCORD_TOKEN"] = StandInDiscord.Token,
            ["DISCORD_API_URL"] = discord.BaseAddress.ToString(),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(l =>
            {
                l.SetMinimumLevel(logs is null ? LogLevel.Warning : LogLevel.Trace);
                if (logs is not null)
                {
                    l.AddProvider(logs);
                }

                if (Environment.GetEnvironmentVariable("COMPOSERBOT_TEST_LOG") == "1")
                {
                    l.AddSimpleConsole(o => o.SingleLine = true);
                }
            })
            .AddComposerRendering(configuration)
            .AddComposerStudio(configuration)
            .AddComposerJobs(configuration)
            .AddComposerWorker()
            .AddComposerBot(configuration, connectGateway: false);
        if (clock is not null)
        {
            discord.Clock = clock;
            services.Replace(ServiceDescriptor.Singleton(clock));
        }

        dir.Dispose();
        var harness = new BotHarness(discord, services.BuildServiceProvider()) { DataDirectory = values["Jobs:DataDirectory"]! };
        foreach (var hosted in harness.Services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
            harness._hosted.Add(hosted);
        }

        harness._listening = harness.Services.GetRequiredService<GatewayInteractionListener>().RunAsync(harness._events.Reader, harness._stop.Token);
        return harness;
    }

    public async ValueTask DisposeAsync()
    {
        _events.Writer.TryComplete();
        await _stop.CancelAsync();
        await Task.WhenAny(_listening, Task.Delay(TimeSpan.FromSeconds(10)));
        foreach (var hosted in Enumerable.Reverse(_hosted))
        {
            await hosted.StopAsync(CancellationToken.None);
        }

        await Services.DisposeAsync();
        await Discord.DisposeAsync();
        _stop.Dispose();
        _dir.Dispose();
    }

    /// <summary>A slash command as the gateway delivers it; returns its interaction token.</summary>
    public async Task<string> SlashAsync(string name, string options, string user = "42", string permissions = "0", string channel = ChannelId, string resolved = "", long attachmentLimit = 10485760)
    {
        var (id, token) = Next();
        await DispatchAsync($$$"""{"id":"{{{id}}}","application_id":"99","type":2,"token":"{{{token}}}","guild_id":"{{{Guild}}}","channel_id":"{{{channel}}}","member":{"user":{"id":"{{{user}}}"},"permissions":"{{{permissions}}}"},"attachment_size_limit":{{{attachmentLimit}}},"data":{"id":"1","name":"{{{name}}}","type":1,"options":{{{options}}}{{{resolved}}}}}""");
        return token;
    }

    /// <summary>/continue with an attachment served from the stand-in's CDN.</summary>
    public Task<string> ContinueAsync(string file, long size) => SlashAsync("continue", """[{"name":"midi","type":11,"value":"900"}]""",
        resolved: $$$$""","resolved":{"attachments":{"900":{"id":"900","filename":"{{{{file}}}}","size":{{{{size}}}},"url":"{{{{Discord.CdnAddress}}}}{{{{file}}}}","content_type":"audio/midi"}}}""");

    /// <summary>A click on a button; returns the new interaction's token.</summary>
    public async Task<string> ButtonAsync(string customId, string user = "42")
    {
        var (id, token) = Next();
        await DispatchAsync($$$"""{"id":"{{{id}}}","application_id":"99","type":3,"token":"{{{token}}}","guild_id":"{{{Guild}}}","channel_id":"{{{ChannelId}}}","member":{"user":{"id":"{{{user}}}"},"permissions":"0"},"attachment_size_limit":10485760,"data":{"custom_id":"{{{customId}}}","component_type":2}}""");
        return token;
    }

    public async Task<RecordedRequest> FirstResponseAsync(string token, int seconds = 20)
    {
        RecordedRequest? first = null;
        await WaitAsync(() => (first = Discord.Requests.FirstOrDefault(r => r.Path.StartsWith("interactions/", StringComparison.Ordinal) && r.Path.Contains($"/{token}/", StringComparison.Ordinal))) is not null, seconds);
        return first!;
    }

    /// <summary>The edit that posted the finished track (with its files), or a failure.</summary>
    public async Task<RecordedRequest> FinalAsync(string token, int seconds = 90)
    {
        RecordedRequest? final = null;
        await WaitAsync(() => (final = Edits(token).LastOrDefault(e => e.Files.Count > 0 || (Content(e) ?? "").StartsWith("⚠️", StringComparison.Ordinal))) is not null, seconds,
            () => $"no track posted for {token}; its requests: {string.Join(" | ", Discord.Requests.Where(r => r.Path.Contains(token, StringComparison.Ordinal)).Select(r => $"{r.Method} {r.Path} {r.PayloadJson}"))}");
        Assert.True(final!.Files.Count > 0, Content(final));
        return final;
    }

    public List<RecordedRequest> Edits(string token) =>
        [.. Discord.Requests.Where(r => r.Method == "PATCH" && r.Path == $"webhooks/99/{token}/messages/@original")];

    public static string? Content(RecordedRequest request) => request.PayloadJson.Length == 0 ? null : JsonNode.Parse(request.PayloadJson)?["content"]?.GetValue<string>();

    public static async Task WaitAsync(Func<bool> condition, int seconds, Func<string>? explain = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"gave up after {seconds} s{(explain is null ? "" : ": " + explain())}");
            await Task.Delay(10);
        }
    }

    private (string Id, string Token) Next()
    {
        var id = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        // Shaped like Discord's: long, random, unguessable.
        var token = $"aW50ZXJhY3Rpb246{id}{Guid.NewGuid():N}";
        _tokens.Enqueue(token);
        Discord.Issue(token);
        return (id, token);
    }

    private ValueTask DispatchAsync(string json) =>
        _events.Writer.WriteAsync(new GatewayDispatch("INTERACTION_CREATE", _nextId, JsonDocument.Parse(json).RootElement.Clone()));
}
