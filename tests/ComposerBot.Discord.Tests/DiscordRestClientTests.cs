using System.Text.Json;
using ComposerBot.Discord.Models;
using ComposerBot.Discord.Rest;

namespace ComposerBot.Discord.Tests;

/// <summary>The REST client against the local stand-in Discord.</summary>
public sealed class DiscordRestClientTests : IAsyncLifetime, IDisposable
{
    private readonly HttpClient _http = new();
    private StandInDiscord _discord = null!;

    private DiscordRestClient Client => new(_http, new DiscordRestOptions { BaseAddress = _discord.BaseAddress, Token = StandInDiscord.Token }, TimeProvider.System);

    public async Task InitializeAsync()
    {
        _discord = await StandInDiscord.StartAsync();

        // The interaction these tests answer: issued by Discord and already acknowledged, so its webhook lives.
        _discord.Issue("tok");
        _discord.Acknowledge("tok");
        _discord.Issue("fresh");
    }

    public async Task DisposeAsync()
    {
        // Every request these tests make is one Discord's published contract accepts.
        Assert.Empty(_discord.Rejections);
        Assert.Empty(_discord.Crashes);
        await _discord.DisposeAsync();
    }

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Gateway_and_application_lookups_parse_and_carry_the_bot_token()
    {
        _discord.Gateway.RequiredShards = 2;
        var gateway = await Client.GetGatewayBotAsync();
        Assert.Equal((2, 1, 1000), (gateway.Shards, gateway.SessionStartLimit.MaxConcurrency, gateway.SessionStartLimit.Remaining));
        Assert.Equal("ComposerBot", (await Client.GetCurrentApplicationAsync()).Name);
        Assert.All(_discord.Requests, r => Assert.Equal($"Bot {StandInDiscord.Token}", r.Authorization));
    }

    [Fact]
    public async Task Commands_are_overwritten_in_bulk_for_a_guild()
    {
        ApplicationCommand[] commands = [new() { Name = "compose", Description = "Compose a track" }];
        var result = await Client.BulkOverwriteGuildCommandsAsync("99", "5", commands);
        Assert.Equal("compose", Assert.Single(result).Name);
        var request = Assert.Single(_discord.Requests);
        Assert.Equal(("PUT", "applications/99/guilds/5/commands"), (request.Method, request.Path));
        Assert.StartsWith("application/json", request.ContentType);
    }

    [Fact]
    public async Task A_response_with_a_file_is_multipart_with_the_attachment_listed_in_payload_json()
    {
        var audio = new FileUpload("track.mp3", new byte[5000], "the track");
        await Client.CreateInteractionResponseAsync("123", "fresh", new InteractionResponse(InteractionCallbackType.ChannelMessageWithSource, new InteractionCallbackData { Content = "here" }), [audio], attachmentLimit: 10_000);
        var request = Assert.Single(_discord.Requests);
        Assert.Equal(("files[0]", "track.mp3", 5000L), Assert.Single(request.Files));
        var payload = JsonDocument.Parse(request.PayloadJson).RootElement;
        Assert.Equal(4, payload.GetProperty("type").GetInt32());
        var attachment = payload.GetProperty("data").GetProperty("attachments")[0];
        Assert.Equal(("0", "track.mp3"), (attachment.GetProperty("id").GetString(), attachment.GetProperty("filename").GetString()));
        Assert.Empty(_discord.Rejections);
    }

    [Fact]
    public async Task A_file_over_the_attachment_limit_is_never_sent()
    {
        var big = new FileUpload("long.wav", new byte[20_000]);
        var ex = await Assert.ThrowsAsync<AttachmentTooLargeException>(() => Client.EditOriginalResponseAsync("99", "tok", new MessagePayload { Content = "x" }, [big], attachmentLimit: 10_000));
        Assert.Contains("long.wav is 20,000 bytes, over the 10,000-byte attachment limit", ex.Message);
        Assert.Empty(_discord.Requests);
    }

    [Fact]
    public async Task Discord_errors_carry_their_json_code()
    {
        var unknown = await Assert.ThrowsAsync<DiscordHttpException>(() => Client.CreateInteractionResponseAsync("123", "never-issued", new InteractionResponse(InteractionCallbackType.DeferredChannelMessageWithSource)));
        Assert.Equal((404, DiscordHttpException.UnknownInteraction), (unknown.Status, unknown.Code));

        _discord.AttachmentLimit = 100;
        var tooLarge = await Assert.ThrowsAsync<DiscordHttpException>(() => Client.CreateFollowupMessageAsync("99", "tok", new MessagePayload(), [new FileUpload("a.ogg", new byte[500])]));
        Assert.Equal((413, DiscordHttpException.RequestEntityTooLarge), (tooLarge.Status, tooLarge.Code));
    }

    [Fact]
    public async Task Invalid_form_body_names_each_field_and_its_rule()
    {
        // Discord's documented example of an error response (Reference, "Error Messages").
        _discord.Faults.Enqueue(("applications/", 400, """
            {"code": 50035, "errors": {"0": {"options": {"1": {"name": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 32 or fewer in length."}]}}}},
             "access_token": {"_errors": [{"code": "BASE_TYPE_REQUIRED", "message": "This field is required"}]}}, "message": "Invalid Form Body"}
            """, false));
        var ex = await Assert.ThrowsAsync<DiscordHttpException>(() => Client.BulkOverwriteGlobalCommandsAsync("99", []));
        Assert.Equal(
            "Discord answered 400 (code 50035): Invalid Form Body: 0.options.1.name: Must be 32 or fewer in length. (BASE_TYPE_MAX_LENGTH); access_token: This field is required (BASE_TYPE_REQUIRED)",
            ex.Message);
    }

    [Fact]
    public async Task Field_errors_shaped_as_discords_spec_describes_them_are_read_too()
    {
        // The spec's ErrorDetails: each _errors entry an Error {code: integer, message}.
        _discord.Faults.Enqueue(("applications/", 400, """
            {"message":"Invalid Form Body","code":50035,"errors":{"0":{"name":{"_errors":[{"code":50035,"message":"Must be 32 or fewer in length."}]}}}}
            """, false));
        var ex = await Assert.ThrowsAsync<DiscordHttpException>(() => Client.BulkOverwriteGlobalCommandsAsync("99", []));
        Assert.Equal("Discord answered 400 (code 50035): Invalid Form Body: 0.name: Must be 32 or fewer in length. (50035)", ex.Message);
    }

    [Fact]
    public async Task A_429_is_waited_out_and_retried_with_the_whole_body_again()
    {
        _discord.Faults.Enqueue(("webhooks/", 429, """{"message":"slow down","retry_after":0.2,"global":false}""", false));
        await Client.CreateFollowupMessageAsync("99", "tok", new MessagePayload { Content = "retry me" }, [new FileUpload("t.mp3", new byte[3000])]);
        var requests = _discord.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal(requests[0].PayloadJson, requests[1].PayloadJson);
        Assert.Equal(requests[0].Files, requests[1].Files);
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromMilliseconds(180), "the retry did not wait for retry_after");
    }

    [Fact]
    public async Task A_global_429_holds_back_other_routes_but_not_interaction_webhooks()
    {
        _discord.Faults.Enqueue(("channels/", 429, """{"message":"global","retry_after":1.0,"global":true}""", true));
        var client = Client;
        var first = client.CreateMessageAsync("7", new MessagePayload { Content = "a" });
        await Task.Delay(100);
        var webhook = client.CreateFollowupMessageAsync("99", "tok", new MessagePayload { Content = "b" });
        var other = client.GetCurrentApplicationAsync();
        await Task.WhenAll(first, webhook, other);
        var requests = _discord.Requests.ToList();
        var limitedAt = requests.First(r => r.Path == "channels/7/messages").At;
        Assert.True(requests.Single(r => r.Path == "applications/@me").At - limitedAt >= TimeSpan.FromMilliseconds(950), "a request went out during the global limit");
        Assert.True(requests.Single(r => r.Path.StartsWith("webhooks/", StringComparison.Ordinal)).At - limitedAt < TimeSpan.FromMilliseconds(900), "interaction webhooks are exempt from the global limit");
        Assert.Equal(2, requests.Count(r => r.Path == "channels/7/messages"));
    }

    [Fact]
    public async Task A_burst_on_routes_that_share_a_bucket_never_breaks_the_advertised_limit()
    {
        ApplicationCommand[] commands = [new() { Name = "compose", Description = "Compose a track" }];
        var client = Client;
        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => i % 2 == 0
            ? client.BulkOverwriteGlobalCommandsAsync("99", commands)
            : client.BulkOverwriteGuildCommandsAsync("99", "5", commands)));
        Assert.Equal(12, _discord.Requests.Count);
        Assert.Equal(0, _discord.Violations);
    }

    [Theory]
    [InlineData("GET", "channels/7/messages/1/reactions")] // a route the stand-in does not serve
    [InlineData("GET", "channels/7/messages")] // a served route with another method
    [InlineData("POST", "no/such/route")]
    public async Task The_stand_in_answers_a_route_it_does_not_serve_as_discord_does_and_counts_it(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(_discord.BaseAddress, path));
        request.Headers.TryAddWithoutValidation("Authorization", $"Bot {StandInDiscord.Token}");
        using var response = await _http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("""{"message":"404: Not Found","code":0}""", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, _discord.RuleBreaks);
    }
}
