using System.Text.Json;
using ComposerBot.Composition.Requests;
using ComposerBot.Jobs;
using ComposerBot.Jobs.Publishing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;

namespace ComposerBot.Web;

/// <summary>
/// The requests API of the local web: submit a track, follow it, cancel it, fetch its files; and /healthz.
/// Requests from here go to the local channel; the requester is the caller's address.
/// </summary>
public static class ComposerApi
{
    public static IEndpointRouteBuilder MapComposerApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/compose", SubmitAsync);
        endpoints.MapGet("/api/requests/{id}", ViewAsync);
        endpoints.MapDelete("/api/requests/{id}", CancelAsync);
        endpoints.MapGet("/api/requests/{id}/files/{kind}", FileAsync);
        endpoints.MapGet("/healthz", HealthAsync);
        return endpoints;
    }

    private static async Task<IResult> SubmitAsync(HttpContext http, JobClient jobs, CancellationToken cancellationToken)
    {
        ComposeForm? form;
        try
        {
            form = await http.Request.ReadFromJsonAsync(WebJsonContext.Default.ComposeForm, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return Error(StatusCodes.Status400BadRequest, "the body is not a JSON compose form.");
        }

        if (form is null)
        {
            return Error(StatusCodes.Status400BadRequest, "the body is empty; send a JSON compose form.");
        }

        Admission admission;
        try
        {
            var order = new JobOrder(form.ToTrack()) { Format = form.Format is { Length: > 0 } f ? f : "mp3", Kit = form.Kit };
            admission = await jobs.SubmitAsync(order, new JobOrigin(LocalResultPublisher.Name, Requester(http)) { Public = form.Public ?? true }, cancellationToken).ConfigureAwait(false);
        }
        catch (CompositionException ex)
        {
            return Error(StatusCodes.Status400BadRequest, ex.Message);
        }
        catch (Rendering.RenderException ex)
        {
            return Error(StatusCodes.Status400BadRequest, ex.Message);
        }

        if (!admission.Accepted)
        {
            if (admission.RetryAfter is { } wait)
            {
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return Results.Json(new ApiError(admission.Reason!, admission.RetryAfter?.TotalSeconds), WebJsonContext.Default.ApiError, statusCode: StatusCodes.Status429TooManyRequests);
        }

        var url = $"/api/requests/{admission.RequestId}";
        return Results.Json(new Submitted(admission.RequestId!, admission.Position, url), WebJsonContext.Default.Submitted, statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> ViewAsync(string id, JobClient jobs, CancellationToken cancellationToken) =>
        IsId(id) && await jobs.ViewAsync(id, cancellationToken).ConfigureAwait(false) is { } view
            ? Results.Json(view, JobsJsonContext.Default.JobView)
            : Error(StatusCodes.Status404NotFound, $"no request '{id}'.");

    private static async Task<IResult> CancelAsync(string id, HttpContext http, JobClient jobs, CancellationToken cancellationToken) =>
        IsId(id) && await jobs.CancelAsync(id, Requester(http), cancellationToken).ConfigureAwait(false)
            ? Results.NoContent()
            : Error(StatusCodes.Status404NotFound, $"no queued or running request '{id}' of yours.");

    private static async Task<IResult> FileAsync(string id, string kind, JobClient jobs, ArtifactStore artifacts, CancellationToken cancellationToken)
    {
        if (!IsId(id) || await jobs.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } request || artifacts.PathOf(request, kind) is not { } path || !File.Exists(path))
        {
            return Error(StatusCodes.Status404NotFound, $"request '{id}' has no {kind} file.");
        }

        var type = new FileExtensionContentTypeProvider().TryGetContentType(path, out var known) ? known : "application/octet-stream";
        return Results.File(path, type, Path.GetFileName(path), enableRangeProcessing: true);
    }

    private static async Task<IResult> HealthAsync(QueueMonitor monitor, CancellationToken cancellationToken)
    {
        var report = await monitor.HealthAsync(cancellationToken).ConfigureAwait(false);
        return Results.Json(report, JobsJsonContext.Default.HealthReport, statusCode: report.StorageReachable ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>The local web has no accounts: a requester is its address (quotas apply per address).</summary>
    private static string Requester(HttpContext http) => $"web:{http.Connection.RemoteIpAddress}";

    private static bool IsId(string id) => id.Length is > 0 and <= 64 && id.All(char.IsAsciiLetterOrDigit);

    private static IResult Error(int status, string message) => Results.Json(new ApiError(message), WebJsonContext.Default.ApiError, statusCode: status);
}
