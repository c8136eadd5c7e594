using System.Text;
using ComposerBot.Composition.Prompts;
using ComposerBot.Composition.Requests;
using ComposerBot.Jobs;
using ComposerBot.Jobs.Storage;
using ComposerBot.Rendering.Encoding;
using ComposerBot.Studio;
using ComposerBot.Web.Radio;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace ComposerBot.Web;

/// <summary>
/// The pages: the playground at /, track pages at /tracks/{receipt id}, their script and style (embedded
/// in this assembly, served from /static), the gallery's and the form's API, and the Hangfire dashboard
/// at /jobs behind a sign-in with the admin token (/signin).
/// </summary>
public static class ComposerWeb
{
    private static readonly EmbeddedFileProvider Assets = new(typeof(ComposerWeb).Assembly, "ComposerBot.Web.wwwroot");

    public static IServiceCollection AddComposerWeb(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<Radio.RadioOptions>().Bind(configuration.GetSection(Radio.RadioOptions.Section))
            .Validate(o => o.TrackSeconds is >= 5 and <= 600, "Radio:TrackSeconds must be 5-600.")
            .Validate(o => o.CrossfadeSeconds is >= 0 and <= 15, "Radio:CrossfadeSeconds must be 0-15.")
            .Validate(o => o.Ahead is >= 1 and <= 5, "Radio:Ahead must be 1-5.")
            .ValidateOnStart();
        services.AddSingleton<Radio.RadioService>();
        services.AddOptions<WebOptions>().Bind(configuration.GetSection(WebOptions.Section))
            .Validate(o => string.IsNullOrEmpty(o.AdminToken) || o.AdminToken.Length >= 16, "Web:AdminToken must be at least 16 characters.")
            .Validate(o => o.GallerySize is >= 1 and <= 200, "Web:GallerySize must be 1-200.")
            .ValidateOnStart();
        // The dashboard insists that Hangfire was configured; our storage is passed to it explicitly.
        services.AddSingleton<IGlobalConfiguration>(_ => GlobalConfiguration.Configuration);
        services.AddSingleton(_ => DashboardRoutes.Routes);
        return services;
    }

    public static WebApplication MapComposerWeb(this WebApplication app)
    {
        app.UseStaticFiles(new StaticFileOptions { FileProvider = Assets, RequestPath = "/static" });
        app.MapGet("/", () => Page("index.html"));
        app.MapGet("/tracks/{receiptId}", (string receiptId) => Page("track.html"));
        app.MapGet("/verify", () => Page("verify.html"));
        app.MapGet("/kits/{requestId}", (string requestId) => Page("kit.html"));
        app.MapRadio();
        app.MapGet("/api/kits/{requestId}", KitAsync);
        app.MapPost("/api/verify", (Delegate)VerifyAsync).DisableAntiforgery();
        app.MapGet("/api/options", OptionsAsync);
        app.MapGet("/.well-known/composerbot-key", (ReceiptSigner signer) => Results.Text(signer.PublicKey + "\n", "text/plain; charset=utf-8"));
        app.MapGet("/api/tracks", GalleryAsync);
        app.MapGet("/api/tracks/{receiptId}", TrackAsync);

        var web = app.Services.GetRequiredService<IOptions<WebOptions>>().Value;
        if (web.AdminToken is { Length: > 0 } token)
        {
            var gate = new DashboardGate(token);
            app.MapGet(DashboardGate.SignInPath, () => SignInPage(null));
            app.MapPost(DashboardGate.SignInPath, (Delegate)((HttpContext http) => SignInAsync(http, gate)));

            // A browser that has not signed in goes to the form; anything else under /jobs gets 401.
            app.Use(async (context, next) =>
            {
                if (context.Request.Path.StartsWithSegments(DashboardGate.DashboardPath) && !gate.IsSignedIn(context.Request))
                {
                    if (HttpMethods.IsGet(context.Request.Method) && context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal))
                    {
                        context.Response.Redirect(DashboardGate.SignInPath);
                    }
                    else
                    {
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    }

                    return;
                }

                await next(context).ConfigureAwait(false);
            });
            app.UseHangfireDashboard(DashboardGate.DashboardPath, new DashboardOptions
            {
                Authorization = [gate.Filter],
                DashboardTitle = "ComposerBot jobs",
                AppPath = "/",
                DisplayStorageConnectionString = false,
            }, app.Services.GetRequiredService<JobStorage>());
        }
        else
        {
            app.MapGet("/jobs/{**rest}", () => Results.Text("The jobs dashboard is off: set Web__AdminToken (16 characters or more), then sign in at /signin.", statusCode: StatusCodes.Status404NotFound));
        }

        return app;
    }

    /// <summary>One of the embedded pages.</summary>
    internal static IResult Page(string name) => Results.Stream(Assets.GetFileInfo(name).CreateReadStream(), "text/html; charset=utf-8");

    private static IResult OptionsAsync(ModelStore models) => Results.Json(
        new FormOptions(
            [.. Enum.GetValues<Style>().Select(StyleProfile.Name)],
            [.. Enum.GetNames<Mood>().Select(n => n.ToLowerInvariant())],
            KeyNames.All,
            models.HasClusters ? [.. models.Clusters.Clusters.Select(c => c.Name)] : [],
            [.. Enum.GetNames<AudioFormat>().Select(n => n.ToLowerInvariant())]),
        WebJsonContext.Default.FormOptions);

    private static async Task<IResult> GalleryAsync(string? style, RequestStore store, ArtifactStore artifacts, IOptions<WebOptions> options, CancellationToken cancellationToken)
    {
        var tracks = new List<TrackView>();
        foreach (var request in await store.RecentPublicAsync(options.Value.GallerySize * 4, cancellationToken).ConfigureAwait(false))
        {
            if (await TrackView.ReadAsync(request, artifacts, cancellationToken).ConfigureAwait(false) is { } view
                && (string.IsNullOrEmpty(style) || string.Equals(view.Style, style, StringComparison.OrdinalIgnoreCase)))
            {
                tracks.Add(view);
            }

            if (tracks.Count == options.Value.GallerySize)
            {
                break;
            }
        }

        return Results.Json(tracks, WebJsonContext.Default.ListTrackView);
    }

    private static async Task<IResult> TrackAsync(string receiptId, RequestStore store, ArtifactStore artifacts, CancellationToken cancellationToken) =>
        receiptId.Length is > 0 and <= 64 && receiptId.All(char.IsAsciiHexDigit)
            && await store.ByReceiptAsync(receiptId, cancellationToken).ConfigureAwait(false) is { } request
            && await TrackView.ReadAsync(request, artifacts, cancellationToken).ConfigureAwait(false) is { } view
            ? Results.Json(view, WebJsonContext.Default.TrackView)
            : Results.Json(new ApiError($"no track with receipt '{receiptId}'."), WebJsonContext.Default.ApiError, statusCode: StatusCodes.Status404NotFound);

    private static async Task<IResult> KitAsync(string requestId, RequestStore store, ArtifactStore artifacts, CancellationToken cancellationToken) =>
        requestId.Length is > 0 and <= 64 && requestId.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            && await store.GetAsync(requestId, cancellationToken).ConfigureAwait(false) is { } request
            && await KitView.ReadAsync(request, artifacts, cancellationToken).ConfigureAwait(false) is { } view
            ? Results.Json(view, WebJsonContext.Default.KitView)
            : Results.Json(new ApiError($"no finished stream kit '{requestId}'."), WebJsonContext.Default.ApiError, statusCode: StatusCodes.Status404NotFound);

    /// <summary>The largest upload /api/verify reads (under the web server's 30 MB request limit: a 2-minute WAV, or any compressed track).</summary>
    private const long MaxVerifyBytes = 28L * 1024 * 1024;

    /// <summary>Verifies an uploaded file (multipart: file, optional receipt) against its receipt: the stored one its tags name, or the one sent.</summary>
    private static async Task<IResult> VerifyAsync(HttpContext http, TrackVerifier verifier, StoredReceipts stored, CancellationToken cancellationToken)
    {
        if (!http.Request.HasFormContentType)
        {
            return Results.Json(new ApiError("send the file as multipart/form-data (field 'file', and 'receipt' if you have it)."), WebJsonContext.Default.ApiError, statusCode: StatusCodes.Status400BadRequest);
        }

        var form = await http.Request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        if (form.Files.GetFile("file") is not { Length: > 0 and <= MaxVerifyBytes } file)
        {
            return Results.Json(new ApiError("attach the audio or MIDI file to check (up to 28 MB) as 'file'."), WebJsonContext.Default.ApiError, statusCode: StatusCodes.Status400BadRequest);
        }

        try
        {
            using var upload = await VerificationUpload.SaveAsync(file.FileName, file.CopyToAsync, cancellationToken).ConfigureAwait(false);
            Receipt? receipt;
            if (form.Files.GetFile("receipt") is { Length: > 0 and <= 1024 * 1024 } sent)
            {
                using var reader = new StreamReader(sent.OpenReadStream());
                receipt = StudioJsonContext.Deserialize(await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false));
            }
            else
            {
                receipt = (await stored.ForAsync(upload.Path, cancellationToken).ConfigureAwait(false)).Receipt;
            }

            if (receipt is null)
            {
                return Results.Json(new ApiError($"{file.FileName} names no receipt of a track made here (no ComposerBot receipt id in its tags); add the track's receipt (.json)."), WebJsonContext.Default.ApiError, statusCode: StatusCodes.Status422UnprocessableEntity);
            }

            var result = await verifier.VerifyAsync(upload, receipt, cancellationToken).ConfigureAwait(false);
            return Results.Json(
                new VerifyView(result.Verified, result.Verdict, result.Method, result.ReceiptId, result.SignedBy, result.SignedByThisInstallation),
                WebJsonContext.Default.VerifyView);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or Rendering.RenderException or Composition.Requests.CompositionException)
        {
            return Results.Json(new ApiError(ex.Message), WebJsonContext.Default.ApiError, statusCode: StatusCodes.Status400BadRequest);
        }
    }

    private static IResult SignInPage(string? error)
    {
        using var reader = new StreamReader(Assets.GetFileInfo("signin.html").CreateReadStream());
        var html = reader.ReadToEnd();
        if (error is not null)
        {
            html = html.Replace("<!--error-->", $"<p class=\"error\" role=\"alert\">{System.Net.WebUtility.HtmlEncode(error)}</p>", StringComparison.Ordinal);
        }

        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, error is null ? StatusCodes.Status200OK : StatusCodes.Status401Unauthorized);
    }

    private static async Task<IResult> SignInAsync(HttpContext http, DashboardGate gate)
    {
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false) : null;
        if (!gate.IsAdminToken(form?["token"].ToString()))
        {
            return SignInPage("That is not the admin token.");
        }

        gate.SignIn(http.Response, http.Request.IsHttps);
        return Results.Redirect(DashboardGate.DashboardPath);
    }
}
