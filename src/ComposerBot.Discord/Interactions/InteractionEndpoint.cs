using System.Text.Json;
using ComposerBot.Discord.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ComposerBot.Discord.Interactions;

/// <summary>
/// The HTTP interactions endpoint: verifies Discord's Ed25519 signature over the raw body (401 when it
/// fails; Discord tests this on purpose) and refuses a signature older or newer than
/// <see cref="MaxSignatureAge"/> (401: a replay), answers PING with PONG, and hands every other interaction to the
/// registered <see cref="IInteractionHandler"/>. A malformed body is a 400, never a crash.
/// </summary>
public static class InteractionEndpoint
{
    private const int MaxBodyBytes = 1 << 20;

    /// <summary>How far a signature's timestamp may lie from this server's clock (either way) before the request is refused as a replay.</summary>
    public static readonly TimeSpan MaxSignatureAge = TimeSpan.FromMinutes(5);

    public static IEndpointConventionBuilder MapDiscordInteractions(this IEndpointRouteBuilder endpoints, string pattern, string publicKeyHex)
    {
        var verifier = new InteractionVerifier(publicKeyHex);

        // Built now, at start-up, not inside the first interaction's 3 s window (the modules are checked then too).
        var handler = endpoints.ServiceProvider.GetRequiredService<IInteractionHandler>();
        var time = endpoints.ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System;
        return endpoints.MapPost(pattern, async (HttpContext http) =>
        {
            var receivedAt = time.GetUtcNow();
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted).ConfigureAwait(false);
            if (buffer.Length > MaxBodyBytes)
            {
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            }

            var body = buffer.ToArray();
            var timestamp = http.Request.Headers["X-Signature-Timestamp"].ToString();
            if (!verifier.Verify(http.Request.Headers["X-Signature-Ed25519"], timestamp, body)
                || !InteractionVerifier.IsFresh(timestamp, receivedAt, MaxSignatureAge))
            {
                return Results.Unauthorized();
            }

            Interaction? interaction;
            try
            {
                interaction = JsonSerializer.Deserialize(body, DiscordJsonContext.Default.Interaction);
            }
            catch (JsonException)
            {
                interaction = null;
            }

            if (interaction is null)
            {
                return Results.BadRequest();
            }

            if (interaction.Type == InteractionType.Ping)
            {
                return Json(InteractionResponse.Pong);
            }

            var context = new InteractionContext(interaction, receivedAt);
            var response = await handler.HandleAsync(context, http.RequestAborted).ConfigureAwait(false);
            context.TryAcknowledge();
            return Json(response);
        });
    }

    private static IResult Json(InteractionResponse response) =>
        Results.Text(JsonSerializer.Serialize(response, DiscordJsonContext.Default.InteractionResponse), "application/json");
}
