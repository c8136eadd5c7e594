using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComposerBot.Discord.Tests;
using ComposerBot.Music;
using ComposerBot.Music.Midi;
using ComposerBot.TestSupport;

namespace ComposerBot.Tests;

/// <summary>
/// No secret reaches a log line at any level: the bot's flows against the stand-in Discord (every command
/// and button, a 429, a 5xx retry, a publish whose message was deleted) with every logger at Trace, and
/// `serve` as a process with the admin token, a PostgreSQL connection string with a password and a bot
/// token, every category at Trace, its whole output read; the receipts' signing key in neither.
/// </summary>
public sealed class SecretsInLogsTests
{
    private const string Manager = "32";

    [Fact]
    public async Task The_bots_flows_log_no_token_at_any_level()
    {
        var logs = new CapturingLoggerProvider();
        await using var bot = await BotHarness.StartAsync(logs: logs);
        var discord = bot.Discord;

        // The first acknowledgement meets a 429, the first webhook call a passing 503: both are retried.
        discord.Faults.Enqueue(("interactions/", 429, """{"message":"You are being rate limited.","retry_after":0.05,"global":false}""", false));
        discord.Faults.Enqueue(("webhooks/", 503, """{"message":"upstream unavailable","code":0}""", false));
        var compose = await bot.SlashAsync("compose", """[{"name":"prompt","type":3,"value":"calm piano 12 s"},{"name":"format","type":3,"value":"ogg"}]""");
        var track = await bot.FinalAsync(compose);
        Assert.True(discord.Faults.IsEmpty, "both faults were met");

        var parentId = JsonDocument.Parse(track.PayloadJson).RootElement.GetProperty("components")[0].GetProperty("components")[0].GetProperty("custom_id").GetString()!.Split(':')[2];
        foreach (var action in new[] { "reroll", "vary", "extend", "loop", "stinger", "stems" })
        {
            await bot.FinalAsync(await bot.ButtonAsync($"track:{action}:{parentId}"));
        }

        await bot.FinalAsync(await bot.SlashAsync("stinger", """[{"name":"style","type":3,"value":"chiptune"},{"name":"length","type":4,"value":3}]"""));
        var tune = Melodies.Quarters(Melodies.Walk(3, 8), new KeySignature(0, KeyMode.Major));
        discord.CdnFiles["tune.mid"] = MidiFileWriter.ToBytes(tune.ToScore());
        await bot.FinalAsync(await bot.ContinueAsync("tune.mid", discord.CdnFiles["tune.mid"].Length));
        foreach (var (name, options, user) in new[]
        {
            ("queue", "[]", "42"), ("status", "[]", "42"), ("help", "[]", "42"), ("license", "[]", "42"),
            ("settings", """[{"name":"per_user_per_hour","type":4,"value":30}]""", Manager),
        })
        {
            await bot.FirstResponseAsync(await bot.SlashAsync(name, options, user, permissions: user == Manager ? "32" : "0"));
        }

        // A publish whose "thinking..." message was deleted (10008): the track goes to the channel instead.
        var lost = await bot.SlashAsync("compose", """[{"name":"prompt","type":3,"value":"folk 6 s"}]""");
        await BotHarness.WaitAsync(() => bot.Edits(lost).Count > 0, 30);
        for (var i = 0; i < 8; i++)
        {
            discord.Faults.Enqueue(($"webhooks/99/{lost}/messages/@original", 404, """{"message":"Unknown Message","code":10008}""", false));
        }

        await BotHarness.WaitAsync(() => discord.ChannelMessages.Any(m => m.PayloadJson.Contains("folk 6 s", StringComparison.Ordinal)), 90);

        var lines = logs.Lines.ToList();
        Assert.Contains(lines, l => l.Contains("POST interactions/{interaction_id}/{token}/callback answered 429", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("webhooks/{application_id}/{token}/messages/@original answered 503", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Unknown Message", StringComparison.Ordinal));
        var signingKey = File.ReadAllText(Path.Combine(bot.DataDirectory, "signing-key")).Trim();
        string[] secrets = [StandInDiscord.Token, signingKey, .. bot.Tokens];
        Assert.True(bot.Tokens.Count >= 15, $"{bot.Tokens.Count} interactions");
        AssertNoSecret(lines, secrets);
    }

    [Fact]
    public async Task Serve_with_the_admin_token_a_database_password_and_a_bot_token_logs_none_of_them()
    {
        const string adminToken = "admin-token-that-must-never-be-logged-7f3a";
        const string password = "pg-password-that-must-never-be-logged-91c2";
        using var postgres = PostgresServer.Start();
        await using var discord = await StandInDiscord.StartAsync();
        using var dir = new TempDirectory();
        using var signer = new SigningClient();
        const string httpToken = "aW50ZXJhY3Rpb246aHR0cA-endpoint-token-that-must-never-be-logged";
        var url = $"http://127.0.0.1:{LoopbackPort.Free()}";
        var environment = new Dictionary<string, string>
        {
            ["Composer__Generator"] = "ngram",
            ["Web__AdminToken"] = adminToken,
            ["ConnectionStrings__Jobs"] = postgres.CreateDatabase() + $";Password={password}",
            ["DISCORD_TOKEN"] = StandInDiscord.Token,
            ["DISCORD_API_URL"] = discord.BaseAddress.ToString(),
            ["DISCORD_PUBLIC_KEY"] = signer.PublicKeyHex,
            ["Logging__LogLevel__Default"] = "Trace",
            ["Logging__LogLevel__Microsoft"] = "Trace",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Trace",
            ["Logging__LogLevel__System"] = "Trace",
        };
        string? cookie;
        using (var serve = new CliProcess(environment, "serve", "--urls", url, "--data", dir.File("data")))
        {
            using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true };
            using var http = new HttpClient(handler) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
            await BotHarness.WaitAsync(() => Healthy(http), 90, () => serve.Output);

            var posted = await http.PostAsJsonAsync("/api/compose", new { prompt = "happy chiptune 6 s", format = "ogg" });
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
            var id = (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            await BotHarness.WaitAsync(() => State(http, id) == "succeeded", 90, () => serve.Output);

            // An interaction over the HTTP endpoint (Discord's other way to deliver them): the token is in its body.
            var help = await signer.PostAsync(new Uri(url + "/interactions"), $$$"""{"id":"7","application_id":"99","type":2,"token":"{{{httpToken}}}","channel_id":"5","user":{"id":"42"},"data":{"id":"1","name":"help","type":1}}""");
            Assert.Equal(HttpStatusCode.OK, help.StatusCode);

            var signedIn = await http.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = adminToken }));
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            cookie = handler.CookieContainer.GetCookies(new Uri(url + "/jobs"))["composerbot_admin"]?.Value;
            Assert.False(string.IsNullOrEmpty(cookie));
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/jobs")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/jobs/servers")).StatusCode);
            Assert.Equal(0, serve.Terminate(TimeSpan.FromSeconds(30)));
            var lines = serve.Output.Split('\n');
            Assert.Contains(lines, l => l.Contains("dbug:", StringComparison.Ordinal) || l.Contains("trce:", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains("/signin", StringComparison.Ordinal)); // ASP.NET Core's request lines were on
            var signingKey = File.ReadAllText(Path.Combine(dir.File("data"), "signing-key")).Trim();
            AssertNoSecret(lines, [adminToken, password, StandInDiscord.Token, httpToken, cookie!, signingKey]);
        }
    }

    private static void AssertNoSecret(IReadOnlyList<string> lines, IReadOnlyList<string> secrets)
    {
        Assert.True(lines.Count > 100, $"only {lines.Count} log lines were captured");
        var leaks = lines.Where(l => secrets.Any(s => l.Contains(s, StringComparison.Ordinal))).Take(5).ToList();
        Assert.True(leaks.Count == 0, "secrets in the log:\n" + string.Join('\n', leaks));
    }

    private static bool Healthy(HttpClient http)
    {
        try
        {
            return http.GetAsync("/healthz").GetAwaiter().GetResult().IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static string? State(HttpClient http, string id) =>
        http.GetFromJsonAsync<JsonElement>($"/api/requests/{id}").GetAwaiter().GetResult().GetProperty("state").GetString();
}
