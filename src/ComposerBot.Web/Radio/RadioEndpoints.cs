using ComposerBot.Composition.Requests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace ComposerBot.Web.Radio;

/// <summary>
/// The radio's pages (the player an OBS Browser Source loads, the now-playing overlay, the play log) and
/// their API; every station is named by the query: ?style=lofi&amp;mood=calm[&amp;length=SECONDS].
/// </summary>
public static class RadioEndpoints
{
    public static IEndpointRouteBuilder MapRadio(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/radio", () => ComposerWeb.Page("radio.html"));
        endpoints.MapGet("/radio/now", () => ComposerWeb.Page("radio-now.html"));
        endpoints.MapGet("/radio/log", () => ComposerWeb.Page("radio-log.html"));
        endpoints.MapGet("/api/radio/next", NextAsync);
        endpoints.MapPost("/api/radio/played", PlayedAsync);
        endpoints.MapGet("/api/radio/status", StatusAsync);
        endpoints.MapGet("/api/radio/log", LogAsync);
        return endpoints;
    }

    private static async Task<IResult> NextAsync(HttpContext http, string? after, RadioService radio, IOptions<RadioOptions> options, CancellationToken cancellationToken)
    {
        if (Station(http, options.Value, out var refusal) is not { } station)
        {
            return refusal;
        }

        try
        {
            return Results.Json(await radio.NextAsync(station, after, cancellationToken).ConfigureAwait(false), WebJsonContext.Default.RadioTrack);
        }
        catch (RadioBusyException ex)
        {
            return Results.Json(new ApiError(ex.Message, 10), WebJsonContext.Default.ApiError, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static async Task<IResult> PlayedAsync(HttpContext http, RadioService radio, IOptions<RadioOptions> options, CancellationToken cancellationToken)
    {
        if (Station(http, options.Value, out var refusal) is not { } station)
        {
            return refusal;
        }

        RadioPlayed? played;
        try
        {
            played = await http.Request.ReadFromJsonAsync(WebJsonContext.Default.RadioPlayed, cancellationToken).ConfigureAwait(false);
        }
        catch (System.Text.Json.JsonException)
        {
            played = null;
        }

        if (played is null || string.IsNullOrEmpty(played.RequestId))
        {
            return Results.Json(new ApiError("send {\"request_id\": ...} of the track that started."), WebJsonContext.Default.ApiError, statusCode: StatusCodes.Status400BadRequest);
        }

        return await radio.PlayedAsync(station, played.RequestId, cancellationToken).ConfigureAwait(false)
            ? Results.NoContent()
            : Results.Json(new ApiError($"'{played.RequestId}' is not a finished track of {station.Id}."), WebJsonContext.Default.ApiError, statusCode: StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> StatusAsync(HttpContext http, RadioService radio, IOptions<RadioOptions> options, CancellationToken cancellationToken) =>
        Station(http, options.Value, out var refusal) is { } station
            ? Results.Json(await radio.StatusAsync(station, cancellationToken).ConfigureAwait(false), WebJsonContext.Default.RadioStatus)
            : refusal;

    /// <summary>Every track played (of the query's station, or of all with ?all=1), newest first.</summary>
    private static async Task<IResult> LogAsync(HttpContext http, RadioService radio, IOptions<RadioOptions> options, CancellationToken cancellationToken)
    {
        string? id = null;
        if (http.Request.Query["all"] != "1")
        {
            if (Station(http, options.Value, out var refusal) is not { } station)
            {
                return refusal;
            }

            id = station.Id;
        }

        return Results.Json((await radio.PlaysAsync(id, 10_000, cancellationToken).ConfigureAwait(false)).ToList(), WebJsonContext.Default.ListRadioPlay);
    }

    /// <summary>The station the query names, or null and the 400 answer that says why it is not one.</summary>
    private static RadioStation? Station(HttpContext http, RadioOptions options, out IResult refusal)
    {
        refusal = Results.BadRequest();
        try
        {
            return RadioStation.Parse(http.Request.Query["style"], http.Request.Query["mood"], http.Request.Query["length"], options.TrackSeconds);
        }
        catch (CompositionException ex)
        {
            refusal = Results.Json(new ApiError(ex.Message), WebJsonContext.Default.ApiError, statusCode: StatusCodes.Status400BadRequest);
            return null;
        }
    }
}
