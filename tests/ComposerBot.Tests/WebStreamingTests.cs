using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComposerBot.TestSupport;
using Microsoft.Playwright;

namespace ComposerBot.Tests;

/// <summary>
/// The streamer's features in headless Chromium against `composerbot serve` (web and publishing) with the
/// composing done by a separate `composerbot worker` process on the same SQLite queue, as a deployment
/// runs them: the stream kit from the web form, and the radio an OBS Browser Source plays, through a
/// worker restart. Screenshots go to .build/test-results/screenshots (docs/streaming.md uses them).
/// </summary>
public sealed class WebStreamingTests : IAsyncLifetime
{
    private const string Station = "style=lofi&mood=calm&length=8";
    private readonly TempDirectory _dir = new();
    private readonly string _url = $"http://127.0.0.1:{LoopbackPort.Free()}";
    private readonly Dictionary<string, string> _environment = new() { ["Composer__Generator"] = "ngram", ["Radio__CrossfadeSeconds"] = "2" };
    private CliProcess _serve = null!;
    private CliProcess _worker = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _serve = new CliProcess(new Dictionary<string, string>(_environment) { ["Jobs__Queues"] = "publish" }, "serve", "--urls", _url, "--data", _dir.File("data"));
        _worker = Worker();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            // As an OBS Browser Source does, the page may start playing without a click.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required"],
        });
        using var http = new HttpClient();
        await BotHarness.WaitAsync(() => Healthy(http), 90, () => $"serve did not start:\n{_serve.Output}");
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        _worker.Dispose();
        _serve.Dispose();
        _dir.Dispose();
    }

    private CliProcess Worker() => new(_environment, "worker", "--data", _dir.File("data"), "--queues", "compose");

    private bool Healthy(HttpClient http)
    {
        try
        {
            return http.GetAsync($"{_url}/healthz").GetAwaiter().GetResult().IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            Assert.False(_serve.HasExited, _serve.Output);
            return false;
        }
    }

    [Fact]
    public async Task The_radio_plays_fresh_tracks_back_to_back_with_a_crossfade_keeps_two_ahead_and_survives_a_worker_restart()
    {
        var page = await _browser.NewPageAsync();
        var requested = new List<string>();
        page.Request += (_, request) => requested.Add(request.Url);
        await page.AddInitScriptAsync("""
            window.mediaEvents = [];
            for (const type of ["playing", "pause", "ended"])
              document.addEventListener(type, (e) => window.mediaEvents.push({ type, src: e.target.currentSrc, at: performance.now() }), true);
            """);
        await page.GotoAsync($"{_url}/radio?{Station}");
        await Assertions.Expect(page.Locator("#radio-start")).ToBeHiddenAsync();

        // Two tracks, one after the other: the second starts while the first is still playing (the crossfade).
        await WaitForPlayedAsync(page, 2, 120);
        var events = await MediaEventsAsync(page);
        var starts = events.Where(e => e.Type == "playing").DistinctBy(e => e.Src).ToList();
        Assert.True(starts.Count >= 2, string.Join(" | ", events));
        var firstStop = events.First(e => e.Src == starts[0].Src && e.Type is "pause" or "ended" && e.At > starts[0].At);
        Assert.True(starts[1].At < firstStop.At, "the second track started after the first had stopped: no crossfade");
        // A 2 s crossfade: the page starts the next track when 2 s are left (by the 4 Hz time updates) and
        // fades over 2 s or until the first ends; a loaded machine may take a few hundred ms to start playing.
        Assert.InRange(firstStop.At - starts[1].At, 300, 3500);

        // While the second plays, two more are made or being made behind it.
        using var http = new HttpClient { BaseAddress = new Uri(_url) };
        await BotHarness.WaitAsync(() => Status(http)["ahead"]!.GetValue<int>() >= 2, 10, () => Status(http).ToJsonString());

        // A worker restart (SIGTERM, a new worker): the page plays on from what was made ahead, and new tracks keep coming.
        // Stopped in the middle of a job (the station keeps it busy), it finishes or hands the job back and exits cleanly.
        Assert.Equal(0, _worker.Terminate(TimeSpan.FromSeconds(60)));
        _worker.Dispose();
        _worker = Worker();
        await WaitForPlayedAsync(page, 5, 180);

        // Each start is logged: the page reports it as it starts, so the last report may still be on its way.
        var played = await page.EvaluateAsync<string[]>("window.radioPlayed");
        Assert.Equal(played.Length, played.Distinct().Count());
        JsonArray log = [];
        await BotHarness.WaitAsync(
            () =>
            {
                log = JsonNode.Parse(http.GetStringAsync($"/api/radio/log?{Station}").GetAwaiter().GetResult())!.AsArray();
                return played.ToHashSet().IsSubsetOf(log.Select(p => p!["request_id"]!.GetValue<string>()));
            },
            10,
            () => $"played {string.Join(", ", played)}; logged {log.ToJsonString()}");
        var receipts = log.Select(p => p!["receipt_id"]!.GetValue<string>()).ToList();
        Assert.Equal(receipts.Count, receipts.Distinct().Count()); // never repeating

        // The overlay shows what plays now; the log page lists every receipt.
        var overlay = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 640, Height = 120 } });
        await overlay.GotoAsync($"{_url}/radio/now?{Station}");
        await Assertions.Expect(overlay.Locator("#now")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        var now = Status(http)["now_playing"]!;
        await Assertions.Expect(overlay.Locator("#now-receipt")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9a-f]{16}$"));
        Assert.Contains(now["receipt_id"]!.GetValue<string>(), receipts);
        await Screenshot(overlay, "radio-now");
        var logPage = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 600 } });
        await logPage.GotoAsync($"{_url}/radio/log?{Station}");
        await Assertions.Expect(logPage.Locator("#log tbody tr")).ToHaveCountAsync(log.Count);
        await Screenshot(logPage, "radio-log");

        // A station that is not one is refused in words the page shows.
        var bad = await http.GetAsync("/api/radio/next?style=nonsense&mood=calm");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("is not a style", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Nothing outside this host: no fonts, no scripts, no analytics.
        Assert.All(requested, url => Assert.StartsWith(_url + "/", url, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stream_kit_from_the_web_form_lists_its_pieces_plays_them_and_downloads_as_one_zip()
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { AcceptDownloads = true, ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
        await page.GotoAsync(_url);
        var form = page.Locator("#kit-form");
        await form.GetByLabel("Kit style").SelectOptionAsync("chiptune");
        await form.GetByLabel("Kit mood").SelectOptionAsync("happy");
        await form.GetByLabel("Kit seed").FillAsync("4");
        await page.GetByRole(AriaRole.Button, new() { Name = "Make the kit" }).ClickAsync();

        var kit = page.Locator("#kit");
        await Assertions.Expect(kit).ToBeVisibleAsync(new() { Timeout = 180_000 });
        await Assertions.Expect(kit.Locator("h3")).ToHaveTextAsync("Stream kit: chiptune, happy");
        await Assertions.Expect(kit.Locator("li.piece")).ToHaveCountAsync(7);
        var loop = kit.Locator("li.piece[data-piece=starting-soon] audio");
        Assert.True(await loop.EvaluateAsync<bool>("a => a.loop"));
        var duration = await loop.EvaluateAsync<double>("a => new Promise(r => { a.preload = 'metadata'; a.readyState > 0 ? r(a.duration) : a.addEventListener('loadedmetadata', () => r(a.duration)); a.load(); })");
        Assert.InRange(duration, 59.5, 120.5);
        await Screenshot(page, "kit-result");

        var download = await page.RunAndWaitForDownloadAsync(() => kit.GetByRole(AriaRole.Link, new() { Name = "Everything (zip)" }).ClickAsync());
        await download.SaveAsAsync(_dir.File("kit.zip"));
        using (var zip = ZipFile.OpenRead(_dir.File("kit.zip")))
        {
            Assert.Contains(zip.Entries, e => e.FullName == "README.txt");
            Assert.Contains(zip.Entries, e => e.FullName == "stinger.webm");
            Assert.Equal(7, zip.Entries.Count(e => e.FullName.EndsWith(".mp3", StringComparison.Ordinal)));
        }

        // The kit's own page (the link Discord posts when the zip is too large) shows the same kit.
        await kit.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^[0-9a-f]{16}$") }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/kits/[0-9a-z-]+$"));
        await Assertions.Expect(page.Locator("#kit li.piece")).ToHaveCountAsync(7);
        await Screenshot(page, "kit-page");
    }

    private JsonNode Status(HttpClient http) => JsonNode.Parse(http.GetStringAsync($"/api/radio/status?{Station}").GetAwaiter().GetResult())!;

    private async Task WaitForPlayedAsync(IPage page, int count, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (await page.EvaluateAsync<int>("(window.radioPlayed || []).length") < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the radio played fewer than {count} tracks in {seconds} s; serve:\n{_serve.Output}\nworker:\n{_worker.Output}");
            await Task.Delay(250);
        }
    }

    private static async Task<List<(string Type, string Src, double At)>> MediaEventsAsync(IPage page)
    {
        var json = await page.EvaluateAsync<JsonElement>("window.mediaEvents");
        return [.. json.EnumerateArray().Select(e => (e.GetProperty("type").GetString()!, e.GetProperty("src").GetString()!, e.GetProperty("at").GetDouble()))];
    }

    private static async Task Screenshot(IPage page, string name)
    {
        var folder = Path.Combine(RepositoryPaths.Root, ".build", "test-results", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }
}
