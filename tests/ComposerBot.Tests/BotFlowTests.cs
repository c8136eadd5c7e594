using System.IO.Compression;
using System.Text.Json.Nodes;
using ComposerBot.Discord.Tests;
using ComposerBot.Jobs;
using ComposerBot.Music;
using ComposerBot.Music.Midi;
using ComposerBot.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ComposerBot.Tests;

/// <summary>
/// The bot end to end: interactions arrive as the gateway delivers them, the command modules answer
/// through the stand-in Discord, a real worker composes on the SQLite queue, and the track is posted back.
/// </summary>
public sealed class BotFlowTests : IAsyncLifetime
{
    private const string Manager = "32";
    private BotHarness? _bot;

    private BotHarness Bot => _bot!;

    private StandInDiscord Discord => Bot.Discord;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_bot is not null)
        {
            // Whatever the flow, the bot sent nothing Discord's published contract refuses, and the stand-in kept up.
            Assert.Empty(Discord.Rejections);
            Assert.Empty(Discord.Crashes);
            await _bot.DisposeAsync();
        }
    }

    private async Task StartAsync(TimeProvider? clock = null) => _bot = await BotHarness.StartAsync(clock);

    private Task<string> SlashAsync(string name, string options, string user = "42", string permissions = "0", string channel = BotHarness.ChannelId, long attachmentLimit = 10485760) =>
        Bot.SlashAsync(name, options, user, permissions, channel, attachmentLimit: attachmentLimit);

    private Task<string> ButtonAsync(string customId) => Bot.ButtonAsync(customId);

    private Task<string> ContinueAsync(string file, long size) => Bot.ContinueAsync(file, size);

    private Task<RecordedRequest> FirstResponseAsync(string token) => Bot.FirstResponseAsync(token);

    private Task<RecordedRequest> FinalAsync(string token, int seconds = 90) => Bot.FinalAsync(token, seconds);

    private List<RecordedRequest> Edits(string token) => Bot.Edits(token);

    private static string? Content(RecordedRequest request) => BotHarness.Content(request);

    private static Task WaitAsync(Func<bool> condition, int seconds) => BotHarness.WaitAsync(condition, seconds);

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
        Assert.Equal(0, Discord.RuleBreaks);
        Assert.Empty(Discord.Rejections); // every request one Discord's published contract accepts
        Assert.Equal(0, Discord.Violations); // no request over its rate-limit bucket
        Assert.Empty(Discord.Gateway.RuleCloses); // no gateway rule broken
    }

    [Fact]
    public async Task Streamkit_posts_the_kits_zip_with_a_preview_and_links_its_page_when_the_zip_does_not_fit()
    {
        await StartAsync();
        var token = await SlashAsync("streamkit", """[{"name":"style","type":3,"value":"chiptune"},{"name":"mood","type":3,"value":"happy"},{"name":"seed","type":4,"value":3}]""");
        var final = await FinalAsync(token, seconds: 180);
        Assert.Equal([".mp3", ".zip"], final.Files.Select(f => Path.GetExtension(f.FileName)).Order());
        Assert.Contains("README.txt for OBS", Content(final), StringComparison.Ordinal);
        var embed = JsonNode.Parse(final.PayloadJson)!["embeds"]![0]!;
        Assert.Equal("Stream kit, chiptune, happy", embed["title"]!.GetValue<string>());
        var fields = Fields(final);
        Assert.Equal("chiptune", fields["Style"]);
        Assert.Equal(7, fields["Pieces"].Split('\n').Length);
        var zip = Discord.Uploads.Single(u => u.Path.Contains(token, StringComparison.Ordinal) && u.FileName.EndsWith(".zip", StringComparison.Ordinal));
        using (var archive = new ZipArchive(new MemoryStream(zip.Content)))
        {
            Assert.Contains(archive.Entries, e => e.FullName == "README.txt");
            Assert.Contains(archive.Entries, e => e.FullName == "kit.json");
            Assert.Contains(archive.Entries, e => e.FullName == "stinger.webm");
            Assert.Equal(7, archive.Entries.Count(e => e.FullName.EndsWith(".mp3", StringComparison.Ordinal)));
        }

        // With a 2 MB limit the preview still fits, the zip does not: the message links the kit's page instead.
        var small = await SlashAsync("streamkit", """[{"name":"style","type":3,"value":"chiptune"},{"name":"seed","type":4,"value":3}]""", attachmentLimit: 2 * 1024 * 1024);
        var linked = await FinalAsync(small, seconds: 180);
        Assert.Equal([".mp3"], linked.Files.Select(f => Path.GetExtension(f.FileName)));
        var requestId = (await Bot.Services.GetRequiredService<JobClient>().ForUserAsync("42", CancellationToken.None))[0].Id;
        Assert.Contains($"/kits/{requestId})", Content(linked), StringComparison.Ordinal);
        Assert.Equal(0, Discord.RuleBreaks);
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
            var child = (await Bot.Services.GetRequiredService<JobClient>().ForUserAsync("42", CancellationToken.None))[0];
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
                    // 30 s more in whole bars at the parent's tempo (60 bpm here: 4 s bars), plus the release.
                    Assert.InRange(AudioSeconds(token, ".ogg"), 12 + 30 - 2, 12 + 30 + 2.5);
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
                    var zip = Discord.Uploads.Single(u => u.Path.Contains(token, StringComparison.Ordinal) && u.FileName.EndsWith(".stems.zip", StringComparison.Ordinal));
                    using (var archive = new ZipArchive(new MemoryStream(zip.Content)))
                    {
                        Assert.Contains(archive.Entries, e => e.Name.Contains("stem-melody", StringComparison.Ordinal));
                    }

                    break;
            }
        }

        Assert.Equal(0, Discord.RuleBreaks);
        Assert.Empty(Discord.Rejections); // every request one Discord's published contract accepts
        Assert.Equal(0, Discord.Violations); // no request over its rate-limit bucket
        Assert.Empty(Discord.Gateway.RuleCloses); // no gateway rule broken
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
        Assert.StartsWith("⚠️ You have made 1 track in the last hour (the limit is 1); try again in", await RefusalAsync(second), StringComparison.Ordinal);
        var someoneElse = await SlashAsync("compose", """[{"name":"prompt","type":3,"value":"rock 6 s"}]""", user: "43");
        Assert.Equal("rock", Field(await FinalAsync(someoneElse), "Style"));

        var channel = await SlashAsync("settings", """[{"name":"channel","type":7,"value":"777"}]""", permissions: Manager);
        await FirstResponseAsync(channel);
        var elsewhere = await SlashAsync("compose", """[{"name":"prompt","type":3,"value":"folk 6 s"}]""", user: "44");
        Assert.Equal("⚠️ On this server I compose in <#777> only.", await RefusalAsync(elsewhere));

        var bad = await SlashAsync("compose", """[{"name":"prompt","type":3,"value":"piano"},{"name":"key","type":3,"value":"H minor"}]""", user: "45", channel: "777");
        Assert.Equal("⚠️ 'H minor' is not a key; write it like 'D minor', 'F#m' or 'Bb major'.", Ephemeral(await FirstResponseAsync(bad)));
        Assert.Equal(0, Discord.RuleBreaks);
        Assert.Empty(Discord.Rejections); // every request one Discord's published contract accepts
        Assert.Equal(0, Discord.Violations); // no request over its rate-limit bucket
        Assert.Empty(Discord.Gateway.RuleCloses); // no gateway rule broken
    }

    [Fact]
    public async Task Continue_checks_the_attachment_and_continues_a_good_melody()
    {
        await StartAsync();
        Discord.CdnFiles["notes.txt"] = "just some words, not music"u8.ToArray();
        var text = await ContinueAsync("notes.txt", 26);
        Assert.StartsWith("⚠️ notes.txt is not a MIDI file I can read", Ephemeral(await FirstResponseAsync(text)), StringComparison.Ordinal);

        var huge = await ContinueAsync("huge.mid", 2 * 1024 * 1024);
        Assert.Equal("⚠️ huge.mid is 2048 KB; /continue takes MIDI files up to 1 MB.", Ephemeral(await FirstResponseAsync(huge)));

        Discord.CdnFiles["drums.mid"] = MidiFileWriter.ToBytes(new Score(TempoMap.Constant(480, 120), [new Track("Drums", 0, 9, true, new[] { new Note(36, 0, 240, 100) }.ToValueList())]));
        var drums = await ContinueAsync("drums.mid", Discord.CdnFiles["drums.mid"].Length);
        Assert.Equal("⚠️ drums.mid has no melody to continue (no pitched notes).", Ephemeral(await FirstResponseAsync(drums)));

        var tune = Melodies.Quarters(Melodies.Walk(3, 16), new KeySignature(0, KeyMode.Major));
        Discord.CdnFiles["tune.mid"] = MidiFileWriter.ToBytes(tune.ToScore());
        var good = await ContinueAsync("tune.mid", Discord.CdnFiles["tune.mid"].Length);
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
        await StartAsync(clock);
        var token = await SlashAsync("compose", """[{"name":"prompt","type":3,"value":"epic orchestral 20 s"}]""");
        await WaitAsync(() => Edits(token).Count > 0, 30);
        clock.Advance(TimeSpan.FromMinutes(16));

        await WaitAsync(() => !Discord.ChannelMessages.IsEmpty, 90);
        var message = Assert.Single(Discord.ChannelMessages);
        Assert.Equal($"channels/{BotHarness.ChannelId}/messages", message.Path);
        var body = JsonNode.Parse(message.PayloadJson)!;
        Assert.StartsWith("<@42> ✅ **epic orchestral 20 s**", body["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("[\"42\"]", body["allowed_mentions"]!["users"]!.ToJsonString());
        Assert.True(body["enforce_nonce"]!.GetValue<bool>());
        Assert.Equal(3, message.Files.Count);
        Assert.Equal(0, Discord.RuleBreaks); // no webhook edit after the token died
        Assert.Empty(Discord.Rejections); // every request one Discord's published contract accepts
        Assert.Equal(0, Discord.Violations); // no request over its rate-limit bucket
        Assert.Empty(Discord.Gateway.RuleCloses); // no gateway rule broken
    }

    [Theory]
    [InlineData(10008, 0)] // deleted before the first progress edit (queued)
    [InlineData(10008, 1)]
    [InlineData(10008, 2)]
    [InlineData(10008, -1)] // deleted just before the finished track is posted
    [InlineData(10015, 0)]
    [InlineData(10015, 2)]
    [InlineData(10015, -1)]
    public async Task When_the_original_response_is_gone_at_any_phase_the_track_still_reaches_the_channel_once(int code, int afterEdits)
    {
        await StartAsync();
        Discord.LoseOriginals = (afterEdits, code);
        await SlashAsync("compose", """[{"name":"prompt","type":3,"value":"calm piano 12 s"},{"name":"format","type":3,"value":"ogg"}]""");

        await WaitAsync(() => !Discord.ChannelMessages.IsEmpty, 90);
        await Task.Delay(1500); // a second copy would show up now
        var message = Assert.Single(Discord.ChannelMessages);
        var body = JsonNode.Parse(message.PayloadJson)!;
        Assert.StartsWith("<@42> ✅ **calm piano 12 s**", body["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(3, message.Files.Count);

        // Everything sent on the lost original after it was gone was refused by the stand-in, so the channel
        // message is the one copy; the bot kept to the contract and the rate limits while finding its way there.
        Assert.Equal(0, Discord.Violations);
    }

    [Fact]
    public async Task Verify_answers_privately_whether_a_file_is_a_track_of_this_bot()
    {
        await StartAsync();
        var composed = await SlashAsync("compose", """[{"name":"prompt","type":3,"value":"happy chiptune 12 s"},{"name":"format","type":3,"value":"ogg"}]""");
        await FinalAsync(composed);
        var track = Discord.Uploads.Single(u => u.Path.Contains(composed, StringComparison.Ordinal) && u.FileName.EndsWith(".ogg", StringComparison.Ordinal)).Content;

        Discord.CdnFiles["mine.ogg"] = track;
        var exact = await VerifyAsync("mine.ogg");
        Assert.StartsWith("✅ verified: mine.ogg is the audio file of receipt ", Content(exact), StringComparison.Ordinal);
        Assert.Contains("Signed by this bot's key.", Content(exact), StringComparison.Ordinal);
        Assert.EndsWith(".json", Assert.Single(exact.Files).FileName, StringComparison.Ordinal);

        // What a platform gives back: re-encoded, tags kept.
        var original = Path.Combine(Bot.Folder, "mine.ogg");
        var upload = Path.Combine(Bot.Folder, "upload.mp3");
        Directory.CreateDirectory(Bot.Folder);
        await File.WriteAllBytesAsync(original, track);
        ExternalTools.Run("ffmpeg", "-hide_banner", "-loglevel", "error", "-i", original, "-b:a", "64k", "-y", upload);
        Discord.CdnFiles["upload.mp3"] = await File.ReadAllBytesAsync(upload);

        // Re-encoded from Ogg, the receipt id stayed in the Opus stream's tags: the user attaches the receipt the bot sent.
        Assert.StartsWith("⚠️ upload.mp3 names no receipt", Content(await VerifyAsync("upload.mp3")), StringComparison.Ordinal);
        Discord.CdnFiles["receipt.json"] = Discord.Uploads.Last(u => u.FileName.EndsWith(".json", StringComparison.Ordinal)).Content;
        Assert.StartsWith("✅ verified: upload.mp3 is a copy of the track of receipt ", Content(await VerifyAsync("upload.mp3", "receipt.json")), StringComparison.Ordinal);

        Discord.CdnFiles["noise.mp3"] = [1, 2, 3, 4];
        Assert.StartsWith("⚠️", Content(await VerifyAsync("noise.mp3")), StringComparison.Ordinal);
        Assert.Equal(0, Discord.RuleBreaks);
        Assert.Empty(Discord.Rejections); // every request one Discord's published contract accepts
        Assert.Equal(0, Discord.Violations); // no request over its rate-limit bucket
        Assert.Empty(Discord.Gateway.RuleCloses); // no gateway rule broken
    }

    /// <summary>/verify with a file from the stand-in's CDN; returns the private answer (the edit of the deferral).</summary>
    private async Task<RecordedRequest> VerifyAsync(string file, string? receipt = null)
    {
        string Attachment(string id, string name) =>
            $"\"{id}\":{{\"id\":\"{id}\",\"filename\":\"{name}\",\"size\":{Discord.CdnFiles[name].Length},\"url\":\"{Discord.CdnAddress}{name}\"}}";
        var options = receipt is null
            ? """[{"name":"file","type":11,"value":"901"}]"""
            : """[{"name":"file","type":11,"value":"901"},{"name":"receipt","type":11,"value":"902"}]""";
        var attachments = receipt is null ? Attachment("901", file) : $"{Attachment("901", file)},{Attachment("902", receipt)}";
        var token = await Bot.SlashAsync("verify", options, resolved: $$$""","resolved":{"attachments":{{{{attachments}}}}}""");
        var deferral = JsonNode.Parse((await FirstResponseAsync(token)).PayloadJson)!;
        Assert.Equal(5, deferral["type"]!.GetValue<int>());
        Assert.Equal(64, deferral["data"]!["flags"]!.GetValue<int>());
        RecordedRequest? answer = null;
        await WaitAsync(() => (answer = Edits(token).LastOrDefault()) is not null, 60);
        return answer!;
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

    private static string Ephemeral(RecordedRequest response, bool embed = false)
    {
        var body = JsonNode.Parse(response.PayloadJson)!;
        Assert.Equal(4, body["type"]!.GetValue<int>());
        Assert.Equal(64, body["data"]!["flags"]!.GetValue<int>());
        return embed ? body["data"]!["embeds"]![0]!["description"]!.GetValue<string>() : body["data"]!["content"]!.GetValue<string>();
    }

    /// <summary>A refusal after the public acknowledgement: the "thinking..." message deleted, then a private follow-up.</summary>
    private async Task<string> RefusalAsync(string token)
    {
        RecordedRequest? followup = null;
        await WaitAsync(() => (followup = Discord.Requests.FirstOrDefault(r => r.Method == "POST" && r.Path == $"webhooks/99/{token}")) is not null, 20);
        Assert.Contains(Discord.Requests, r => r.Method == "DELETE" && r.Path == $"webhooks/99/{token}/messages/@original");
        var body = JsonNode.Parse(followup!.PayloadJson)!;
        Assert.Equal(64, body["flags"]!.GetValue<int>());
        return body["content"]!.GetValue<string>();
    }

    private static List<string> Buttons(RecordedRequest final) =>
        [.. JsonNode.Parse(final.PayloadJson)!["components"]!.AsArray().SelectMany(row => row!["components"]!.AsArray()).Select(b => b!["custom_id"]!.GetValue<string>())];

    private static Dictionary<string, string> Fields(RecordedRequest final) =>
        JsonNode.Parse(final.PayloadJson)!["embeds"]![0]!["fields"]!.AsArray().ToDictionary(f => f!["name"]!.GetValue<string>(), f => f!["value"]!.GetValue<string>());

    private static string Field(RecordedRequest final, string name) => Fields(final)[name];

    private double AudioSeconds(string token, string extension)
    {
        var upload = Discord.Uploads.Single(u => u.Path.Contains(token, StringComparison.Ordinal) && u.FileName.EndsWith(extension, StringComparison.Ordinal));
        var path = Path.Combine(Path.GetTempPath(), $"composerbot-bot-{Guid.NewGuid():N}{extension}");
        File.WriteAllBytes(path, upload.Content);
        try
        {
            return ExternalTools.DurationSeconds(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The first pitches of the melody part in the posted MIDI file.</summary>
    private List<int> MelodyPitches(string token, int notes)
    {
        var upload = Discord.Uploads.Single(u => u.Path.Contains(token, StringComparison.Ordinal) && u.FileName.EndsWith(".mid", StringComparison.Ordinal));
        var melody = MidiFileReader.Read(upload.Content).Tracks.Single(t => t.Name == "Melody");
        return [.. melody.Notes.OrderBy(n => n.Start).Take(notes).Select(n => n.Pitch)];
    }
}
