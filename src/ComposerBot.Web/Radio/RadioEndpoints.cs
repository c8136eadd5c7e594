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
        if (Station(http, options.Value) is not { } station)
        {
            return BadStation(http, options.Value);
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
        if (Station(http, options.Value) is not { } station)
        {
            return BadStation(http, options.Value);
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
        Station(http, options.Value) is { } station
            ? Results.Json(await radio.StatusAsync(station, cancellationToken).ConfigureAwait(false), WebJsonContext.Default.RadioStatus)
            : BadStation(http, options.Value);

    /// <summary>Every track played (of the query's station, or of all with ?all=1), newest first.</summary>
    private static async Task<IResult> LogAsync(HttpContext http, RadioService radio, IOptions<RadioOptions> options, CancellationToken cancellationToken)
    {
        string? id = null;
        if (http.Request.Query["all"] != "1")
        {
            if (Station(http, options.Value) is not { } station)
            {
                return BadStation(http, options.Value);
            }

            id = station.Id;
        }

        return Results.Json((await radio.PlaysAsync(id, 10_000, cancellationToken).ConfigureAwait(false)).ToList(), WebJsonContext.Default.ListRadioPlay);
    }

    private static RadioStation? Station(HttpContext http, RadioOptions options)
    {
        try
        {
            return Parse(http, options);
        }
        catch (CompositionException)
        {
            return null;
        }
    }

    private static RadioStation Parse(HttpContext http, RadioOptions options) =>
        RadioStation.Parse(http.Request.Query["style"], http.Request.Query["mood"], http.Request.Query["length"], options.TrackSeconds);

    private static IResult BadStation(HttpContext http, RadioOptions options)
    {
        try
        {
            Parse(http, options);
            return Results.BadRequest();
        }
        catch (CompositionException ex)
        {
            return Results.Json(new ApiError(ex.Message), WebJsonContext.Default.ApiError, statusCode: StatusCodes.Status400BadRequest);
        }
    }
}
