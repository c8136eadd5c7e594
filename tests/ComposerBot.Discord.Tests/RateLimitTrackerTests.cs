using System.Globalization;
using System.Net.Http.Headers;
using ComposerBot.Discord.Rest;

namespace ComposerBot.Discord.Tests;

/// <summary>The rate-limit bookkeeping alone, its requests and answers played in a fixed order.</summary>
public sealed class RateLimitTrackerTests
{
    [Fact]
    public void A_probe_still_in_flight_on_an_unknown_route_comes_off_a_bucket_learned_meanwhile()
    {
        // Two routes that (unknown to the client) share a bucket of 5 each send their first request. The first
        // answer was written before the server counted the other probe: it says 4 remain. Sending 4 more on the
        // first route would make 6 in the window, so only 3 may go until the second probe is answered.
        var tracker = new RateLimitTracker(TimeProvider.System);
        Assert.True(tracker.TryReserve("commands/global", false, out _, out var first));
        Assert.True(tracker.TryReserve("commands/guild", false, out _, out var second));
        tracker.Observe("commands/global", Headers(limit: 5, remaining: 4), first);
        tracker.Release("commands/global", first);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(tracker.TryReserve("commands/global", false, out _, out _), $"request {i + 2} of the window");
        }

        Assert.False(tracker.TryReserve("commands/global", false, out var wait, out _));
        Assert.True(wait > TimeSpan.Zero);

        // The second probe's answer counts it and joins its route to the bucket: still nothing left.
        tracker.Observe("commands/guild", Headers(limit: 5, remaining: 0), second);
        tracker.Release("commands/guild", second);
        Assert.False(tracker.TryReserve("commands/guild", false, out _, out _));
    }

    [Fact]
    public void With_no_other_probe_in_flight_a_new_bucket_s_whole_remaining_budget_may_go()
    {
        var tracker = new RateLimitTracker(TimeProvider.System);
        Assert.True(tracker.TryReserve("channels/7/messages", false, out _, out var first));
        tracker.Observe("channels/7/messages", Headers(limit: 5, remaining: 4), first);
        tracker.Release("channels/7/messages", first);
        for (var i = 0; i < 4; i++)
        {
            Assert.True(tracker.TryReserve("channels/7/messages", false, out _, out _));
        }

        Assert.False(tracker.TryReserve("channels/7/messages", false, out _, out _));
    }

    private static HttpResponseHeaders Headers(int limit, int remaining)
    {
        var headers = new HttpResponseMessage().Headers;
        headers.Add("X-RateLimit-Bucket", "shared");
        headers.Add("X-RateLimit-Limit", limit.ToString(CultureInfo.InvariantCulture));
        headers.Add("X-RateLimit-Remaining", remaining.ToString(CultureInfo.InvariantCulture));
        headers.Add("X-RateLimit-Reset-After", "10");
        return headers;
    }
}
