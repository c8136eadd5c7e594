using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using ComposerBot.Bot;
using ComposerBot.Discord.Gateway;
using ComposerBot.Discord.Interactions;
using ComposerBot.Discord.Tests;
using ComposerBot.Jobs;
using ComposerBot.Music;
using ComposerBot.Music.Midi;
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
/// The bot end to end: interactions arrive as the gateway delivers them, the command modules answer
/// through the stand-in Discord, a real worker composes on the SQLite queue, and the track is posted back.
/// </summary>
public sealed class BotFlowTests : IAsyncLifetime
{
    private const string Guild = "123456789012345678";
    private const string ChannelId = "5";
    private const string Manager = "32";
    private readonly TempDirectory _dir = new();
    private readonly Channel<GatewayDispatch> _events = Channel.CreateUnbounded<GatewayDispatch>();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<IHostedService> _hosted = [];
    private StandInDiscord _discord = null!;
    private ServiceProvider? _services;
    private Task _listening = Task.CompletedTask;
    private int _nextId;

    public async Task InitializeAsync() => _discord = await StandInDiscord.StartAsync();

    public async Task DisposeAsync()
    {
        _events.Writer.TryComplete();
        await _stop.CancelAsync();
        await Task.WhenAny(_listening, Task.Delay(TimeSpan.FromSeconds(10)));
        foreach (var hosted in Enumerable.Reverse(_hosted))
        {
            await hosted.StopAsync(CancellationToken.None);
        }

        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await _discord.DisposeAsync();
        _stop.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Compose_posts_a_track_that_decodes_at_the_asked_length_with_its_midi_picture_embed_and_buttons()
    {
        await StartAsync();
        var token = await SlashAsync("compose", """[{"name":"prompt","type":3,"value":"happy chiptune 12 s"},{"name":"format","type":3,"value":"ogg"},{"name":"seed","type":4,"value":11}]""");

        var final = await FinalAsync(token);
        var first = await FirstResponseAsync(token);
        Assert.Equal(5, JsonNode.Parse(first.PayloadJson)!["type"]!.GetValue<int>()); // deferred, in public
        var edits = Edits(token);
        Assert.StartsWith("⏳ Queued #1: **happy chiptune 12 s**", Content(edits[0]), StringComparison.Ordinal);
        var progress = edits.Where(e => Content(e) is { } c && (c.StartsWith("🎼", StringComparison.Ordinal) || c.StartsWith("🎛", StringComparison.Ordinal) || c.StartsWith("📦", StringComparison.Ordinal) || c.StartsWith("📮", StringComparison.Ordinal))).ToList();
        Assert.All(progress.Zip(progress.Skip(1)), pair => Assert.True(pair.Second.At - pair.First.At >= TimeSpan.FromSeconds(1.9), "progress edits at most one per 2 s"));

        Assert.Equal([".mid", ".ogg", ".png"], final.Files.Select(f => Path.GetExtension(f.FileName)).Order());
        Assert.Equal(12, AudioSeconds(token, ".ogg"), 0.3);
        var body = JsonNode.Parse(final.PayloadJson)!;
        var embed = body["embeds"]![0]!;
        Assert.Equal("happy chiptune 12 s", embed["title"]!.GetValue<string>());
        var fields = embed["fields"]!.AsArray().ToDictionary(f => f!["name"]!.GetValue<string>(), f => f!["value"]!.GetValue<string>());
        Assert.Equal("chiptune", fields["Style"]);
        Assert.Equal("11", fields["Seed"]);
        Assert.Contains("Receipt ", embed["footer"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var buttons = Buttons(final);
        Assert.Equal(["extend", "loop", "reroll", "stems", "stinger", "vary"], buttons.Select(b => b.Split(':')[1]).Order());
        Assert.Equal(0, _discord.RuleBreaks);
    }

    [Fact]
    public async Task Every_button_makes_a_new_track_linked_to_the_first()
    {
        await StartAsync();
        var parentToken = await SlashAsync("compose", """[{"name":"prompt","type":3,"value":"calm piano 12 s"},{"name":"format","type":3,"value":"ogg"},{"name":"seed","type":4,"value":5}]""");
        var parent = await FinalAsync(parentToken);
        var parentId = Buttons(parent)[0].Split(':')[2];
        var parentSeed = Field(parent, "Seed");
        var parentMelody = MelodyPitches(parentToken, notes: 4);

        foreach (var action in new[] { "reroll", "vary", "extend", "loop", "stinger", "stems" })
        {
            var token = await ButtonAsync($"track:{action}:{parentId}");
            var first = await FirstResponseAsync(token);
            Assert.Equal(4, JsonNode.Parse(first.PayloadJson)!["type"]!.GetValue<int>()); // a new message, not an edit of the track
            var posted = await FinalAsync(token);
            Assert.Contains($"calm piano 12 s", JsonNode.Parse(posted.PayloadJson)!["embeds"]![0]!["title"]!.GetValue<string>(), StringComparison.Ordinal);
            var child = (await _services!.GetRequiredService<JobClient>().ForUserAsync("42", CancellationToken.None))[0];
            Assert.Equal(parentId, child.ParentId);
            switch (action)
            {
                case "reroll":
                    Assert.NotEqual(parentSeed, Field(posted, "Seed"));
                    break;
                case "vary":
                    Assert.NotEqual(parentSeed, Field(posted, "Seed"));
                    Assert.Equal(parentMelody, MelodyPitches(token, notes: 4)); // the same motif
                    break;
                case "extend":
                    Assert.Equal(42, AudioSeconds(token, ".ogg"), 1.5);
                    Assert.Equal(parentMelody, MelodyPitches(token, notes: 4));
                    break;
                case "loop":
                    Assert.Contains("Loop", Fields(posted).Keys);
                    break;
                case "stinger":
                    Assert.Equal(5, AudioSeconds(token, ".ogg"), 0.05);
                    Assert.Contains("Hit at", Fields(posted).Keys);
                    break;
                case "stems":
                    var zip = _discord.Uploads.Single(u => u.Path.Contains(token, StringComparison.Ordinal) && u.FileName.EndsWith(".stems.zip", StringComparison.Ordinal));
                    using (var archive = new ZipArchive(new MemoryStream(zip.Content)))
                    {
                        Assert.Contains(archive.Entries, e => e.Name.Contains("stem-melody", StringComparison.Ordinal));
                    }

                    break;
            }
        }

        Assert.Equal(0, _discord.RuleBreaks);
    }

    [Fact]
    public async Task Quotas_channels_and_settings_hold_and_refusals_are_private()
    {
        await StartAsync();
        var denied = await SlashAsync("settings", """[{"name":"per_user_per_hour","type":4,"value":1}]""", permissions: "0");
        Assert.Contains("Only members who can manage this server", Ephemeral(await FirstResponseAsync(denied)), StringComparison.Ordinal);

        var saved = await SlashAsync("settings", """[{"name":"per_user_per_hour","type":4,"value":1},{"name":"default_style","type":3,"value":"lo-fi"}]""", permissions: Manager);
        Assert.Contains("Settings saved", (await FirstResponseAsync(saved)).PayloadJson, StringComparison.Ordinal);

        var first = await SlashAsync("compose", """[{"name":"prompt","type":3,"value":"sad 6 s"}]""");
        Assert.Equal("lo-fi", Field(await FinalAsync(first), "Style")); // the server's default style
        var second = await SlashAsync("compose", """[{"name":"prompt","type":3,"value":"sad 6 s"}]""");
        Assert.StartsWith("⚠️ You have made 1 track in the last hour (the limit is 1); try again in", Ephemeral(await FirstResponseAsync(second)), StringComparison.Ordinal);
        var someoneElse = await SlashAsync("compose", """[{"name":"prompt","type":3,"value":"rock 6 s"}]""", user: "43");
        Assert.Equal("rock", Field(await FinalAsync(someoneElse), "Style"));

        var channel = await SlashAsync("settings", """[{"name":"channel","type":7,"value":"777"}]""", permissions: Manager);
        await FirstResponseAsync(channel);
        var elsewhere = await SlashAsync("compose", """[{"name":"prompt","type":3,"value":"folk 6 s"}]""", user: "44");
        Assert.Equal("⚠️ On this server I compose in <#777> only.", Ephemeral(await FirstResponseAsync(elsewhere)));

        var bad = await SlashAsync("compose", """[{"name":"prompt","type":3,"value":"piano"},{"name":"key","type":3,"value":"H minor"}]""", user: "45", channel: "777");
        Assert.Equal("⚠️ 'H minor' is not a key; write it like 'D minor', 'F#m' or 'Bb major'.", Ephemeral(await FirstResponseAsync(bad)));
        Assert.Equal(0, _discord.RuleBreaks);
    }

    [Fact]
    public async Task Continue_checks_the_attachment_and_continues_a_good_melody()
    {
        await StartAsync();
        _discord.CdnFiles["notes.txt"] = "just some words, not music"u8.ToArray();
        var text = await ContinueAsync("notes.txt", 26);
        Assert.StartsWith("⚠️ notes.txt is not a MIDI file I can read", Ephemeral(await FirstResponseAsync(text)), StringComparison.Ordinal);

        var huge = await ContinueAsync("huge.mid", 2 * 1024 * 1024);
        Assert.Equal("⚠️ huge.mid is 2048 KB; /continue takes MIDI files up to 1 MB.", Ephemeral(await FirstResponseAsync(huge)));

        _discord.CdnFiles["drums.mid"] = MidiFileWriter.ToBytes(new Score(TempoMap.Constant(480, 120), [new Track("Drums", 0, 9, true, new[] { new Note(36, 0, 240, 100) }.ToValueList())]));
        var drums = await ContinueAsync("drums.mid", _discord.CdnFiles["drums.mid"].Length);
        Assert.Equal("⚠️ drums.mid has no melody to continue (no pitched notes).", Ephemeral(await FirstResponseAsync(drums)));

        var tune = Melodies.Quarters(Melodies.Walk(3, 16), new KeySignature(0, KeyMode.Major));
        _discord.CdnFiles["tune.mid"] = MidiFileWriter.ToBytes(tune.ToScore());
        var good = await ContinueAsync("tune.mid", _discord.CdnFiles["tune.mid"].Length);
        var posted = await FinalAsync(good);
        var openingSeconds = 4 * 4 * 60 / tune.Bpm;
        Assert.Equal(openingSeconds + 30, AudioSeconds(good, ".mp3"), 2.5);
        Assert.Equal("C major", Field(posted, "Key"));
        Assert.Equal(tune.Melody.Take(8).Select(n => n.Pitch), MelodyPitches(good, notes: 8));
    }

    [Fact]
    public async Task After_fifteen_minutes_the_track_goes_to_the_channel_and_mentions_the_user_once()
    {
        var clock = new ManualClock();
        _discord.Clock = clock;
        await StartAsync(clock);
        var token = await SlashAsync("compose", """[{"name":"prompt","type":3,"value":"epic orchestral 20 s"}]""");
        await WaitAsync(() => Edits(token).Count > 0, 30);
        clock.Advance(TimeSpan.FromMinutes(16));

        await WaitAsync(() => !_discord.ChannelMessages.IsEmpty, 90);
        var message = Assert.Single(_discord.ChannelMessages);
        Assert.Equal($"channels/{ChannelId}/messages", message.Path);
        var body = JsonNode.Parse(message.PayloadJson)!;
        Assert.StartsWith("<@42> ✅ **epic orchestral 20 s**", body["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("[\"42\"]", body["allowed_mentions"]!["users"]!.ToJsonString());
        Assert.True(body["enforce_nonce"]!.GetValue<bool>());
        Assert.Equal(3, message.Files.Count);
        Assert.Equal(0, _discord.RuleBreaks); // no webhook edit after the token died
    }

    [Fact]
    public async Task Queue_and_status_answer_privately()
    {
        await StartAsync();
        var compose = await SlashAsync("compose", """[{"name":"prompt","type":3,"value":"ambient 6 s"}]""");
        await FinalAsync(compose);
        var queue = Ephemeral(await FirstResponseAsync(await SlashAsync("queue", "[]")), embed: true);
        Assert.Contains("ambient 6 s: succeeded", queue, StringComparison.Ordinal);
        var status = (await FirstResponseAsync(await SlashAsync("status", "[]"))).PayloadJson;
        Assert.Contains("on cpu", status, StringComparison.Ordinal);
        Assert.Contains("ngram", status, StringComparison.Ordinal);
    }

    private async Task StartAsync(TimeProvider? clock = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Jobs:DataDirectory"] = _dir.File("data"),
            ["Jobs:PollInterval"] = "00:00:00.050",
            ["Composer:Generator"] = "ngram",
            ["Models:Directory"] = RepositoryPaths.Models,
            ["Rendering:SoundFont"] = ExternalTools.SystemSoundFont,
            ["DISCORD_TOKEN"] = StandInDiscord.Token,
            ["DISCORD_API_URL"] = _discord.BaseAddress.ToString(),
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .AddComposerRendering(configuration)
            .AddComposerStudio(configuration)
            .AddComposerJobs(configuration)
            .AddComposerWorker()
            .AddComposerBot(configuration, connectGateway: false);
        if (clock is not null)
        {
            services.Replace(ServiceDescriptor.Singleton(clock));
        }

        _services = services.BuildServiceProvider();
        foreach (var hosted in _services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
            _hosted.Add(hosted);
        }

        _listening = _services.GetRequiredService<GatewayInteractionListener>().RunAsync(_events.Reader, _stop.Token);
    }

    private async Task<string> SlashAsync(string name, string options, string user = "42", string permissions = "0", string channel = ChannelId, string resolved = "")
    {
        var id = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        var token = "tok" + id;
        _discord.Issue(token);
        await DispatchAsync($$$"""{"id":"{{{id}}}","application_id":"99","type":2,"token":"{{{token}}}","guild_id":"{{{Guild}}}","channel_id":"{{{channel}}}","member":{"user":{"id":"{{{user}}}"},"permissions":"{{{permissions}}}"},"attachment_size_limit":10485760,"data":{"id":"1","name":"{{{name}}}","type":1,"options":{{{options}}}{{{resolved}}}}}""");
        return token;
    }

    private Task<string> ContinueAsync(string file, long size) => SlashAsync("continue", """[{"name":"midi","type":11,"value":"900"}]""",
        resolved: $$$$""","resolved":{"attachments":{"900":{"id":"900","filename":"{{{{file}}}}","size":{{{{size}}}},"url":"{{{{_discord.CdnAddress}}}}{{{{file}}}}","content_type":"audio/midi"}}}""");

    private async Task<string> ButtonAsync(string customId, string user = "42")
    {
        var id = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        var token = "tok" + id;
        _discord.Issue(token);
        await DispatchAsync($$$"""{"id":"{{{id}}}","application_id":"99","type":3,"token":"{{{token}}}","guild_id":"{{{Guild}}}","channel_id":"{{{ChannelId}}}","member":{"user":{"id":"{{{user}}}"},"permissions":"0"},"attachment_size_limit":10485760,"data":{"custom_id":"{{{customId}}}","component_type":2}}""");
        return token;
    }

    private ValueTask DispatchAsync(string json) =>
        _events.Writer.WriteAsync(new GatewayDispatch("INTERACTION_CREATE", _nextId, JsonDocument.Parse(json).RootElement.Clone()));

    private async Task<RecordedRequest> FirstResponseAsync(string token)
    {
        RecordedRequest? first = null;
        await WaitAsync(() => (first = _discord.Requests.FirstOrDefault(r => r.Path.StartsWith("interactions/", StringComparison.Ordinal) && r.Path.Contains($"/{token}/", StringComparison.Ordinal))) is not null, 20);
        return first!;
    }

    /// <summary>The edit that posted the finished track (with its files), or a failure.</summary>
    private async Task<RecordedRequest> FinalAsync(string token)
    {
        RecordedRequest? final = null;
        await WaitAsync(() => (final = Edits(token).LastOrDefault(e => e.Files.Count > 0 || (Content(e) ?? "").StartsWith("⚠️", StringComparison.Ordinal))) is not null, 90);
        Assert.True(final!.Files.Count > 0, Content(final));
        return final;
    }

    private List<RecordedRequest> Edits(string token) =>
        [.. _discord.Requests.Where(r => r.Method == "PATCH" && r.Path == $"webhooks/99/{token}/messages/@original")];

    private static string? Content(RecordedRequest request) => request.PayloadJson.Length == 0 ? null : JsonNode.Parse(request.PayloadJson)?["content"]?.GetValue<string>();

    private static string Ephemeral(RecordedRequest response, bool embed = false)
    {
        var body = JsonNode.Parse(response.PayloadJson)!;
        Assert.Equal(4, body["type"]!.GetValue<int>());
        Assert.Equal(64, body["data"]!["flags"]!.GetValue<int>());
        return embed ? body["data"]!["embeds"]![0]!["description"]!.GetValue<string>() : body["data"]!["content"]!.GetValue<string>();
    }

    private static List<string> Buttons(RecordedRequest final) =>
        [.. JsonNode.Parse(final.PayloadJson)!["components"]!.AsArray().SelectMany(row => row!["components"]!.AsArray()).Select(b => b!["custom_id"]!.GetValue<string>())];

    private static Dictionary<string, string> Fields(RecordedRequest final) =>
        JsonNode.Parse(final.PayloadJson)!["embeds"]![0]!["fields"]!.AsArray().ToDictionary(f => f!["name"]!.GetValue<string>(), f => f!["value"]!.GetValue<string>());

    private static string Field(RecordedRequest final, string name) => Fields(final)[name];

    private double AudioSeconds(string token, string extension)
    {
        var upload = _discord.Uploads.Single(u => u.Path.Contains(token, StringComparison.Ordinal) && u.FileName.EndsWith(extension, StringComparison.Ordinal));
        var path = _dir.File(token + extension);
        File.WriteAllBytes(path, upload.Content);
        return ExternalTools.DurationSeconds(path);
    }

    /// <summary>The first pitches of the melody part in the posted MIDI file.</summary>
    private List<int> MelodyPitches(string token, int notes)
    {
        var upload = _discord.Uploads.Single(u => u.Path.Contains(token, StringComparison.Ordinal) && u.FileName.EndsWith(".mid", StringComparison.Ordinal));
        var melody = MidiFileReader.Read(upload.Content).Tracks.Single(t => t.Name == "Melody");
        return [.. melody.Notes.OrderBy(n => n.Start).Take(notes).Select(n => n.Pitch)];
    }

    private static async Task WaitAsync(Func<bool> condition, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"gave up after {seconds} s");
            await Task.Delay(20);
        }
    }
}
