using ComposerBot.TestSupport;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using ComposerBot.Discord.Gateway;
using ComposerBot.Discord.Interactions;
using ComposerBot.Discord.Models;
using ComposerBot.Discord.Modules;
using ComposerBot.Discord.Rest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ComposerBot.Discord.Tests;

public enum TestMood
{
    Calm,
    Tense,
}

/// <summary>What the test module saw, for the tests to check.</summary>
public sealed class Probe
{
    public ConcurrentQueue<int> RefusedCodes { get; } = new();

    public TaskCompletionSource Deferred { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource ClockMoved { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

public sealed class StyleSuggestions : IAutocompleteHandler
{
    private static readonly string[] Styles = ["chiptune", "orchestral", "lofi", "rock"];

    public Task<IReadOnlyList<ApplicationCommandOptionChoice>> SuggestAsync(InteractionContext context, string current, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ApplicationCommandOptionChoice>>([.. Styles.Where(s => s.StartsWith(current, StringComparison.Ordinal)).Select(s => new ApplicationCommandOptionChoice(s, s))]);
}

public sealed class TestModule(Probe probe) : InteractionModuleBase
{
    [SlashCommand("echo", "Says it back")]
    public Task Echo(
        [Summary("What to say")] string text,
        [Summary("How many times"), Range(1, 5)] int times = 1,
        [Summary("The mood")] TestMood mood = TestMood.Calm,
        [Summary("A style"), Autocomplete(typeof(StyleSuggestions))] string? style = null) =>
        RespondAsync($"{string.Join(' ', Enumerable.Repeat(text, times))} ({mood.ToString().ToLowerInvariant()}, {style ?? "any"})");

    [SlashCommand("slow", "Takes its time")]
    public async Task Slow(CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(2.8), cancellationToken);
        await ModifyOriginalResponseAsync(new MessagePayload { Content = "done" }, [new FileUpload("take.txt", "hello"u8.ToArray())], cancellationToken);
        await FollowupAsync(new MessagePayload { Content = "and more" }, null, cancellationToken);
    }

    [SlashCommand("dawdle", "Answers late with a plain response")]
    public async Task Dawdle(CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(2.8), cancellationToken);
        await RespondAsync("finally", cancellationToken: cancellationToken);
    }

    [SlashCommand("twice", "Answers twice")]
    public async Task Twice()
    {
        await RespondAsync("one");
        try
        {
            await RespondAsync("two");
        }
        catch (InteractionExpiredException ex)
        {
            probe.RefusedCodes.Enqueue(ex.DiscordCode);
        }
    }

    [SlashCommand("later", "Follows up after the token died")]
    public async Task Later(CancellationToken cancellationToken)
    {
        await DeferAsync(cancellationToken: cancellationToken);
        probe.Deferred.SetResult();
        await probe.ClockMoved.Task.WaitAsync(cancellationToken);
        try
        {
            await FollowupAsync(new MessagePayload { Content = "too late" }, null, cancellationToken);
        }
        catch (InteractionExpiredException ex)
        {
            probe.RefusedCodes.Enqueue(ex.DiscordCode);
        }
    }

    [SlashCommand("settings", "Opens a form")]
    public Task Settings() => RespondWithModalAsync(new Modal("settings:g1", "Settings", [MessageComponent.Row(MessageComponent.TextInput("quota", "Jobs per hour"))]));

    [ModalInteraction("settings:*")]
    public Task SettingsSubmitted(string guild, string quota) => RespondAsync($"{guild} quota {quota}", ephemeral: true);

    [ComponentInteraction("reroll:*")]
    public Task Reroll(string seed) => RespondAsync($"reroll of {seed}", components: [MessageComponent.Row(MessageComponent.Button("Again", $"reroll:{seed}1"))]);

    [SlashCommand("boom", "Fails")]
    public Task Boom() => throw new InvalidOperationException("kaput");
}

/// <summary>Module methods invoked through the gateway listener and REST, against the stand-in Discord.</summary>
public sealed class InteractionServiceTests : IAsyncLifetime
{
    private readonly Channel<GatewayDispatch> _events = Channel.CreateUnbounded<GatewayDispatch>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Probe _probe = new();
    private StandInDiscord _discord = null!;
    private ServiceProvider _services = null!;
    private Task _listening = Task.CompletedTask;
    private long _sequence;

    public async Task InitializeAsync() => _discord = await StandInDiscord.StartAsync();

    public async Task DisposeAsync()
    {
        _events.Writer.TryComplete();
        await _stop.CancelAsync();
        await Task.WhenAny(_listening, Task.Delay(TimeSpan.FromSeconds(10)));
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        Assert.Empty(_discord.Crashes);
        await _discord.DisposeAsync();
        _stop.Dispose();
    }

    private void Start(TimeProvider? clock = null)
    {
        var services = new ServiceCollection()
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(_probe)
            .AddDiscordRest(new DiscordRestOptions { BaseAddress = _discord.BaseAddress, Token = StandInDiscord.Token })
            .AddDiscordInteractions(typeof(TestModule));
        if (clock is not null)
        {
            services.AddSingleton(clock);
            _discord.Clock = clock;
        }

        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        _listening = _services.GetRequiredService<GatewayInteractionListener>().RunAsync(_events.Reader, _stop.Token);
    }

    /// <summary>Sends an interaction as the gateway would, its clocks started at the stand-in; returns its token.</summary>
    private string Deliver(int type, JsonObject data, string? raw = null)
    {
        var id = Interlocked.Increment(ref _sequence);
        var token = $"token{id}";
        _discord.Issue(token);
        var interaction = raw ?? new JsonObject
        {
            ["id"] = $"{id}", ["application_id"] = "99", ["type"] = type, ["token"] = token, ["version"] = 1,
            ["channel_id"] = "5", ["guild_id"] = "7", ["member"] = new JsonObject { ["user"] = new JsonObject { ["id"] = "42", ["username"] = "ada" } },
            ["data"] = data,
        }.ToJsonString();
        _events.Writer.TryWrite(new GatewayDispatch("INTERACTION_CREATE", id, JsonDocument.Parse(interaction).RootElement.Clone()));
        return token;
    }

    private static JsonObject Command(string name, params (string Name, JsonNode Value, bool Focused)[] options) => new()
    {
        ["id"] = "1", ["name"] = name, ["type"] = 1,
        ["options"] = new JsonArray([.. options.Select(o => (JsonNode)new JsonObject { ["name"] = o.Name, ["type"] = 3, ["value"] = o.Value.DeepClone(), ["focused"] = o.Focused ? true : null })]),
    };

    private async Task<List<RecordedRequest>> RequestsFor(string token, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var found = _discord.Requests.Where(r => r.Path.Contains($"/{token}", StringComparison.Ordinal)).ToList();
            if (found.Count >= count || DateTime.UtcNow > deadline)
            {
                return found;
            }

            await Task.Delay(20);
        }
    }

    private static JsonNode Body(RecordedRequest request) => JsonNode.Parse(request.PayloadJson)!;

    [Fact]
    public async Task A_slash_command_gets_its_options_bound_and_answers_once()
    {
        Start();
        var token = Deliver(2, Command("echo", ("text", "hey", false), ("times", 3, false), ("mood", "tense", false)));
        var callback = Assert.Single(await RequestsFor(token, 1));
        Assert.EndsWith("/callback", callback.Path, StringComparison.Ordinal);
        var body = Body(callback);
        Assert.Equal(4, body["type"]!.GetValue<int>());
        Assert.Equal("hey hey hey (tense, any)", body["data"]!["content"]!.GetValue<string>());
        Assert.Equal(0, _discord.RuleBreaks);
        Assert.Empty(_discord.Rejections); // every request one Discord's published contract accepts
    }

    [Theory]
    [InlineData(2, "User command 'echo' is not served by this bot.")]
    [InlineData(3, "Message command 'echo' is not served by this bot.")]
    public async Task A_context_menu_command_named_like_a_slash_command_does_not_run_it(int commandType, string refusal)
    {
        Start();
        var token = Deliver(2, new JsonObject { ["id"] = "1", ["name"] = "echo", ["type"] = commandType, ["target_id"] = "42" });
        var body = Body(Assert.Single(await RequestsFor(token, 1)));
        Assert.Equal(refusal, body["data"]!["content"]!.GetValue<string>());
        Assert.Equal(64, body["data"]!["flags"]!.GetValue<int>());
    }

    [Fact]
    public async Task After_discord_refuses_the_first_response_nothing_more_is_sent()
    {
        Start();
        _discord.Faults.Enqueue(("interactions/", 404, """{"message":"Unknown interaction","code":10062}""", false));
        var token = Deliver(2, Command("echo", ("text", "hey", false)));
        Assert.Single(await RequestsFor(token, 1));
        await Task.Delay(500);
        Assert.Single(_discord.Requests, r => r.Path.Contains(token, StringComparison.Ordinal)); // no follow-up to a webhook that does not exist
        Assert.Equal(0, _discord.RuleBreaks);
        Assert.Empty(_discord.Rejections); // every request one Discord's published contract accepts
    }

    [Fact]
    public async Task A_missing_required_option_is_refused_privately_not_bound_as_null()
    {
        Start();
        var token = Deliver(2, Command("echo", ("times", 2, false)));
        var body = Body(Assert.Single(await RequestsFor(token, 1)));
        Assert.Equal("The text option is required.", body["data"]!["content"]!.GetValue<string>());
        Assert.Equal(64, body["data"]!["flags"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(false, "/echo sub is not a command of this bot (any more).")]
    [InlineData(true, "/echo grp sub is not a command of this bot (any more).")]
    public async Task Subcommands_and_groups_that_were_never_declared_are_refused(bool group, string refusal)
    {
        Start();
        JsonNode sub = new JsonObject { ["name"] = "sub", ["type"] = 1, ["options"] = new JsonArray(new JsonObject { ["name"] = "text", ["type"] = 3, ["value"] = "a" }) };
        JsonNode top = group ? new JsonObject { ["name"] = "grp", ["type"] = 2, ["options"] = new JsonArray(sub) } : sub;
        var token = Deliver(2, new JsonObject { ["id"] = "1", ["name"] = "echo", ["type"] = 1, ["options"] = new JsonArray(top) });
        var body = Body(Assert.Single(await RequestsFor(token, 1)));
        Assert.Equal(refusal, body["data"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Autocomplete_suggests_through_the_parameters_handler()
    {
        Start();
        var token = Deliver(4, Command("echo", ("text", "x", false), ("style", "ch", true)));
        var body = Body(Assert.Single(await RequestsFor(token, 1)));
        Assert.Equal(8, body["type"]!.GetValue<int>());
        Assert.Equal("chiptune", Assert.Single(body["data"]!["choices"]!.AsArray())!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_button_reaches_its_handler_with_the_captured_segment()
    {
        Start();
        var token = Deliver(3, new JsonObject { ["custom_id"] = "reroll:1234", ["component_type"] = 2 });
        var body = Body(Assert.Single(await RequestsFor(token, 1)));
        Assert.Equal("reroll of 1234", body["data"]!["content"]!.GetValue<string>());
        Assert.Equal("reroll:12341", body["data"]!["components"]![0]!["components"]![0]!["custom_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_modal_opens_and_its_submission_binds_the_inputs()
    {
        Start();
        var open = Body(Assert.Single(await RequestsFor(Deliver(2, Command("settings")), 1)));
        Assert.Equal(9, open["type"]!.GetValue<int>());
        Assert.Equal("settings:g1", open["data"]!["custom_id"]!.GetValue<string>());

        var submit = Deliver(5, new JsonObject
        {
            ["custom_id"] = "settings:g1",
            ["components"] = new JsonArray(new JsonObject { ["type"] = 1, ["components"] = new JsonArray(new JsonObject { ["type"] = 4, ["custom_id"] = "quota", ["value"] = "12" }) }),
        });
        var body = Body(Assert.Single(await RequestsFor(submit, 1)));
        Assert.Equal("g1 quota 12", body["data"]!["content"]!.GetValue<string>());
        Assert.Equal(64, body["data"]!["flags"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_modal_input_inside_a_label_component_is_bound()
    {
        Start();
        var submit = Deliver(5, new JsonObject
        {
            ["custom_id"] = "settings:g2",
            ["components"] = new JsonArray(new JsonObject { ["type"] = 18, ["id"] = 1, ["component"] = new JsonObject { ["type"] = 4, ["id"] = 2, ["custom_id"] = "quota", ["value"] = "7" } }),
        });
        var body = Body(Assert.Single(await RequestsFor(submit, 1)));
        Assert.Equal("g2 quota 7", body["data"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_slow_handler_is_deferred_before_the_deadline_then_edits_and_follows_up()
    {
        Start();
        var delivered = DateTimeOffset.UtcNow;
        var token = Deliver(2, Command("slow"));
        var requests = await RequestsFor(token, 3);
        Assert.Equal(3, requests.Count);
        Assert.EndsWith("/callback", requests[0].Path, StringComparison.Ordinal);
        Assert.Equal(5, Body(requests[0])["type"]!.GetValue<int>());
        Assert.True(requests[0].At - delivered < TimeSpan.FromSeconds(3), $"deferred after {(requests[0].At - delivered).TotalMilliseconds} ms");
        Assert.Equal(("PATCH", "take.txt"), (requests[1].Method, Assert.Single(requests[1].Files).FileName));
        Assert.Equal("POST", requests[2].Method);
        Assert.Equal(0, _discord.RuleBreaks);
        Assert.Empty(_discord.Rejections); // every request one Discord's published contract accepts
    }

    [Fact]
    public async Task A_late_plain_response_becomes_an_edit_of_the_deferral()
    {
        Start();
        var token = Deliver(2, Command("dawdle"));
        var requests = await RequestsFor(token, 2);
        Assert.Equal(["POST", "PATCH"], requests.Select(r => r.Method));
        Assert.Equal(5, Body(requests[0])["type"]!.GetValue<int>());
        Assert.Equal("finally", Body(requests[1])["content"]!.GetValue<string>());
        Assert.Equal(0, _discord.RuleBreaks);
        Assert.Empty(_discord.Rejections); // every request one Discord's published contract accepts
    }

    [Fact]
    public async Task Slow_responses_from_discord_still_give_one_acknowledgement()
    {
        Start();
        _discord.SlowRoutes["interactions/"] = TimeSpan.FromSeconds(1.5);
        var token = Deliver(2, Command("echo", ("text", "slowly", false)));
        await Task.Delay(3000);
        var callback = Assert.Single(await RequestsFor(token, 1));
        Assert.Equal(4, Body(callback)["type"]!.GetValue<int>());
        Assert.Equal(0, _discord.RuleBreaks);
        Assert.Empty(_discord.Rejections); // every request one Discord's published contract accepts
    }

    [Fact]
    public async Task A_second_first_response_is_refused_before_it_is_sent()
    {
        Start();
        var token = Deliver(2, Command("twice"));
        Assert.Single(await RequestsFor(token, 1));
        await WaitFor(() => !_probe.RefusedCodes.IsEmpty);
        Assert.Equal(InteractionResponder.AlreadyAcknowledged, Assert.Single(_probe.RefusedCodes));
        await Task.Delay(200);
        Assert.Single(await RequestsFor(token, 1));
        Assert.Equal(0, _discord.RuleBreaks);
        Assert.Empty(_discord.Rejections); // every request one Discord's published contract accepts
    }

    [Fact]
    public async Task After_fifteen_minutes_the_dead_token_is_not_used()
    {
        var clock = new ManualClock();
        Start(clock);
        var token = Deliver(2, Command("later"));
        await _probe.Deferred.Task.WaitAsync(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        _probe.ClockMoved.SetResult();
        await WaitFor(() => !_probe.RefusedCodes.IsEmpty);
        Assert.Equal(InteractionResponder.InvalidWebhookToken, Assert.Single(_probe.RefusedCodes));
        Assert.Single(await RequestsFor(token, 1)); // the deferral only
        Assert.Equal(0, _discord.RuleBreaks);
        Assert.Empty(_discord.Rejections); // every request one Discord's published contract accepts
    }

    [Fact]
    public async Task A_failing_handler_apologises_and_malformed_events_do_not_stop_the_listener()
    {
        Start();
        _events.Writer.TryWrite(new GatewayDispatch("INTERACTION_CREATE", 999, JsonDocument.Parse("""{"id": 5, "type": "nonsense"}""").RootElement.Clone()));
        var boom = Deliver(2, Command("boom"));
        var apology = Body(Assert.Single(await RequestsFor(boom, 1)));
        Assert.Equal(64, apology["data"]!["flags"]!.GetValue<int>());
        Assert.Contains("went wrong", apology["data"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);

        var unknown = Deliver(2, Command("nope"));
        Assert.Contains("/nope is not a command", Body(Assert.Single(await RequestsFor(unknown, 1)))["data"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        var bad = Deliver(2, Command("echo", ("text", "x", false), ("times", "many", false)));
        Assert.Contains("'many' is not a valid times", Body(Assert.Single(await RequestsFor(bad, 1)))["data"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(condition(), "timed out");
    }
}
