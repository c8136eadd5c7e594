using ComposerBot.TestSupport;
using Microsoft.Playwright;

namespace ComposerBot.Tests;

/// <summary>
/// The playground in headless Chromium (Debian's, driven by Playwright) against `composerbot serve` started
/// as a process: compose from the page, watch the progress, play, loop, download; the gallery and the
/// track page; the dashboard's token; the layout on a phone. Screenshots go to .build/test-results/screenshots.
/// </summary>
public sealed class WebPlaygroundTests : IAsyncLifetime
{
    private const string AdminToken = "test-admin-token-0123456789";
    private readonly TempDirectory _dir = new();
    private readonly string _url = $"http://127.0.0.1:{LoopbackPort.Free()}";
    private CliProcess _serve = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _serve = new CliProcess(
            new Dictionary<string, string> { ["Composer__Generator"] = "ngram", ["Web__AdminToken"] = AdminToken },
            "serve", "--urls", _url, "--data", _dir.File("data"));
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            try
            {
                if ((await http.GetAsync($"{_url}/healthz")).IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !_serve.HasExited)
            {
            }

            Assert.True(DateTime.UtcNow < deadline && !_serve.HasExited, $"serve did not start:\n{_serve.Output}");
            await Task.Delay(200);
        }
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        _serve.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Compose_from_the_page_watch_the_progress_play_loop_and_download()
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { AcceptDownloads = true, ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
        await page.GotoAsync(_url);
        await page.GetByLabel("What to compose").FillAsync("calm piano loop 12 s");
        await page.GetByLabel("Format").SelectOptionAsync("ogg");
        await page.GetByLabel("Seamless loop").CheckAsync();
        await page.GetByLabel("Seed", new() { Exact = true }).FillAsync("21");
        await page.GetByRole(AriaRole.Button, new() { Name = "Compose" }).ClickAsync();

        await Assertions.Expect(page.Locator("#progress-box")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#progress-text")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("Queued|Planning|Writing|Rendering|Encoding"));
        await Screenshot(page, "playground-progress");

        var result = page.Locator("#result");
        await Assertions.Expect(result).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(result.Locator("h3")).ToHaveTextAsync("calm piano loop 12 s");
        var duration = await page.EvalOnSelectorAsync<double>("#result audio", "a => new Promise(r => a.readyState > 0 ? r(a.duration) : a.addEventListener('loadedmetadata', () => r(a.duration)))");
        Assert.Equal(12, duration, 1.0);
        Assert.True(await page.EvalOnSelectorAsync<bool>("#result audio", "a => a.play().then(() => !a.paused)"), "the audio plays");
        Assert.True(await page.EvalOnSelectorAsync<bool>("#result audio", "a => a.loop"));
        await page.GetByLabel("Loop playback").UncheckAsync();
        Assert.False(await page.EvalOnSelectorAsync<bool>("#result audio", "a => a.loop"));
        Assert.True(await page.EvalOnSelectorAsync<bool>("#result img", "i => i.complete && i.naturalWidth === 1200"));

        var download = await page.RunAndWaitForDownloadAsync(() => result.GetByRole(AriaRole.Link, new() { Name = "MIDI" }).ClickAsync());
        var midi = _dir.File("download.mid");
        await download.SaveAsAsync(midi);
        Assert.Equal("MThd"u8.ToArray(), File.ReadAllBytes(midi)[..4]);
        var receipt = await page.RunAndWaitForDownloadAsync(() => result.GetByRole(AriaRole.Link, new() { Name = "Receipt (JSON)" }).ClickAsync());
        await receipt.SaveAsAsync(_dir.File("receipt.json"));
        Assert.Contains("\"loop\": true", await File.ReadAllTextAsync(_dir.File("receipt.json")), StringComparison.Ordinal);
        await Screenshot(page, "playground-result");

        // The track page by receipt id shows the same track.
        await result.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^[0-9a-f]{16}$") }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/tracks/[0-9a-f]{16}$"));
        await Assertions.Expect(page.Locator("#result h3")).ToHaveTextAsync("calm piano loop 12 s");
        await Screenshot(page, "track-page");
    }

    [Fact]
    public async Task Mistakes_show_in_the_form_and_the_gallery_filters_by_style()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(_url);
        await page.GetByLabel("Key").FillAsync("H minor");
        await page.GetByRole(AriaRole.Button, new() { Name = "Compose" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("'H minor' is not a key; write it like 'D minor', 'F#m' or 'Bb major'.");

        foreach (var (prompt, isPublic) in new[] { ("happy chiptune 12 s", true), ("dark rock 12 s", true), ("secret folk 12 s", false) })
        {
            await page.GetByLabel("Key").FillAsync("");
            await page.GetByLabel("What to compose").FillAsync(prompt);
            await page.GetByLabel("Show it in the gallery").SetCheckedAsync(isPublic);
            await page.GetByRole(AriaRole.Button, new() { Name = "Compose" }).ClickAsync();
            await Assertions.Expect(page.Locator("#result h3")).ToHaveTextAsync(prompt, new() { Timeout = 60_000 });
        }

        var items = page.Locator("#gallery-list .gallery-item h3");
        await Assertions.Expect(items).ToHaveTextAsync(["dark rock 12 s", "happy chiptune 12 s"]);
        await page.GetByLabel("Filter by style").SelectOptionAsync("chiptune");
        await Assertions.Expect(items).ToHaveTextAsync(["happy chiptune 12 s"]);
        await Screenshot(page, "gallery-filtered");
    }

    [Fact]
    public async Task Every_control_is_labelled_and_a_phone_needs_no_sideways_scrolling()
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 375, Height = 800 } });
        await page.GotoAsync(_url);
        await Assertions.Expect(page.Locator("#style option")).ToHaveCountAsync(9);
        var unlabelled = await page.EvalOnSelectorAllAsync<string[]>("input, select", "els => els.filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.id || e.name)");
        Assert.Empty(unlabelled);
        Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
        Assert.Equal(1, await page.Locator("main").CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "no horizontal overflow at 375 px");
        var external = await page.EvalOnSelectorAllAsync<string[]>("script[src], link[href], img[src]", "els => els.map(e => e.src || e.href).filter(u => !u.startsWith(location.origin))");
        Assert.Empty(external);
        await Screenshot(page, "playground-phone");
    }

    [Fact]
    public async Task The_jobs_dashboard_opens_after_signing_in_with_the_admin_token_never_from_a_url()
    {
        var page = await _browser.NewPageAsync();
        Assert.Equal(401, (await page.Context.APIRequest.GetAsync($"{_url}/jobs")).Status);

        // The old way, the token in the query string, opens nothing: the browser is sent to the form.
        await page.GotoAsync($"{_url}/jobs?token={AdminToken}");
        Assert.EndsWith("/signin", page.Url, StringComparison.Ordinal);
        Assert.Empty(await page.Context.CookiesAsync());
        await Screenshot(page, "jobs-signin");

        await page.FillAsync("#token", "wrong-token-0123456789");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator(".error")).ToHaveTextAsync("That is not the admin token.");
        Assert.Empty(await page.Context.CookiesAsync());

        await page.FillAsync("#token", AdminToken);
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("ComposerBot jobs"));
        Assert.DoesNotContain(AdminToken, page.Url, StringComparison.Ordinal);
        var cookie = Assert.Single(await page.Context.CookiesAsync());
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Equal("/jobs", cookie.Path);
        Assert.DoesNotContain(AdminToken, cookie.Value, StringComparison.Ordinal);

        var next = await page.GotoAsync($"{_url}/jobs/servers");
        Assert.Equal(200, next!.Status);
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("/cpu");
        await Screenshot(page, "jobs-dashboard");

        // A forged cookie opens nothing.
        await page.Context.ClearCookiesAsync();
        await page.Context.AddCookiesAsync([new Cookie { Name = cookie.Name, Value = new string('0', 64), Domain = cookie.Domain, Path = "/jobs" }]);
        Assert.Equal(401, (await page.Context.APIRequest.GetAsync($"{_url}/jobs/servers")).Status);
    }

    [Fact]
    public async Task A_dropped_file_is_verified_on_the_verify_page()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_url) };
        var posted = await http.PostAsync("/api/compose", new StringContent("""{"prompt":"happy folk 10 s","format":"mp3","seed":9}""", System.Text.Encoding.UTF8, "application/json"));
        var id = System.Text.Json.JsonDocument.Parse(await posted.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!(await http.GetStringAsync($"/api/requests/{id}")).Contains("\"succeeded\"", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "the track was not made");
            await Task.Delay(200);
        }

        var track = _dir.File("folk.mp3");
        await File.WriteAllBytesAsync(track, await http.GetByteArrayAsync($"/api/requests/{id}/files/audio"));
        var page = await _browser.NewPageAsync();
        await page.GotoAsync($"{_url}/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Verify" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/verify$"));
        await page.Locator("#verify-file").SetInputFilesAsync(track);
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Assertions.Expect(page.Locator(".verdict.verified")).ToContainTextAsync("verified: folk.mp3 is the audio file of receipt ", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#verify-result")).ToContainTextAsync("this installation's key");
        await Screenshot(page, "verify-page");

        // A file that names no receipt made here gets a clear answer, not a verdict.
        var noise = _dir.File("noise.mp3");
        await File.WriteAllBytesAsync(noise, [1, 2, 3, 4]);
        await page.Locator("#verify-file").SetInputFilesAsync(noise);
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Assertions.Expect(page.Locator("#verify-result .error")).ToContainTextAsync("noise.mp3 names no receipt of a track made here");
    }

    [Fact]
    public async Task The_public_signing_key_is_served_where_anyone_can_fetch_it()
    {
        using var http = new HttpClient();
        var key = (await http.GetStringAsync($"{_url}/.well-known/composerbot-key")).Trim();
        Assert.Matches("^ed25519:[0-9a-f]{64}$", key);
        Assert.True(File.Exists(_dir.File("data/signing-key")), "the key lives in the data folder");
    }

    private static async Task Screenshot(IPage page, string name)
    {
        var folder = Path.Combine(RepositoryPaths.Root, ".build", "test-results", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }
}
