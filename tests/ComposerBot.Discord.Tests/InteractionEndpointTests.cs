using System.Net;
using System.Text;
using ComposerBot.Discord.Interactions;
using ComposerBot.Discord.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using NSec.Cryptography;

namespace ComposerBot.Discord.Tests;

/// <summary>The HTTP interactions endpoint on a real Kestrel, signed the way Discord signs.</summary>
public sealed class InteractionEndpointTests : IAsyncLifetime, IDisposable
{
    private readonly SigningClient _signer = new();
    private readonly RecordingHandler _handler = new();
    private WebApplication _app = null!;
    private Uri _endpoint = null!;

    public async Task InitializeAsync()
    {
        string address;
        (_app, address) = await LocalServer.StartAsync(
            services => services.AddSingleton<IInteractionHandler>(_handler),
            app => app.MapDiscordInteractions("/interactions", _signer.PublicKeyHex));
        _endpoint = new Uri(address + "/interactions");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public void Dispose() => _signer.Dispose();

    private Task<HttpResponseMessage> Post(string body, bool forge = false) => _signer.PostAsync(_endpoint, body, forge);

    [Fact]
    public async Task A_signed_ping_gets_a_pong()
    {
        using var response = await Post("""{"id":"1","application_id":"9","type":1,"token":"t"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"type":1}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_forged_signature_is_refused_with_401_and_reaches_no_handler()
    {
        using var response = await Post("""{"id":"1","application_id":"9","type":2,"token":"t","data":{"name":"compose"}}""", forge: true);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_handler.Received);
    }

    [Theory]
    [InlineData(-10)] // captured ten minutes ago and sent again
    [InlineData(10)] // from a clock ten minutes ahead
    public async Task A_correctly_signed_request_from_outside_five_minutes_is_refused_as_a_replay(int minutes)
    {
        const string body = """{"id":"1","application_id":"9","type":2,"token":"t","data":{"name":"compose"}}""";
        using var replayed = await _signer.PostAsync(_endpoint, body, signedAt: DateTimeOffset.UtcNow.AddMinutes(minutes));
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
        Assert.Empty(_handler.Received);

        using var recent = await _signer.PostAsync(_endpoint, """{"id":"1","application_id":"9","type":1,"token":"t"}""", signedAt: DateTimeOffset.UtcNow.AddMinutes(-4));
        Assert.Equal(HttpStatusCode.OK, recent.StatusCode);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"type":2}""")]
    [InlineData("[1,2,3]")]
    public async Task A_malformed_body_is_a_400_not_a_crash(string body)
    {
        using var response = await Post(body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var ping = await Post("""{"id":"1","application_id":"9","type":1,"token":"t"}""");
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
    }

    [Fact]
    public async Task A_command_reaches_the_handler_with_its_clocks_and_the_answer_goes_back_inline()
    {
        var before = DateTimeOffset.UtcNow;
        using var response = await Post("""{"id":"1","application_id":"9","type":2,"token":"t","data":{"name":"compose"},"user":{"id":"5"}}""");
        Assert.Equal("""{"type":5,"data":{"flags":64}}""", await response.Content.ReadAsStringAsync());
        var context = Assert.Single(_handler.Received);
        Assert.Equal("compose", context.Interaction.Data!.Name);
        Assert.InRange(context.ReceivedAt, before.AddSeconds(-1), DateTimeOffset.UtcNow);
        Assert.Equal(context.ReceivedAt + TimeSpan.FromSeconds(3), context.AckDeadline);
        Assert.Equal(context.ReceivedAt + TimeSpan.FromMinutes(15), context.TokenExpiresAt);
        Assert.True(context.IsAcknowledged);
        Assert.False(context.TryAcknowledge(), "a second first response must lose");
    }

    private sealed class RecordingHandler : IInteractionHandler
    {
        public List<InteractionContext> Received { get; } = [];

        public Task<InteractionResponse> HandleAsync(InteractionContext context, CancellationToken cancellationToken)
        {
            Received.Add(context);
            return Task.FromResult(new InteractionResponse(InteractionCallbackType.DeferredChannelMessageWithSource, new InteractionCallbackData { Flags = InteractionCallbackData.EphemeralFlag }));
        }
    }
}
