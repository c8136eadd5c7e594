using System.Globalization;
using System.Net.Http.Headers;

namespace ComposerBot.Discord.Rest;

/// <summary>
/// Discord's rate limits as the responses tell them: per-route buckets learned from the headers (routes
/// that share an X-RateLimit-Bucket share one budget), and the global limit learned from global 429s.
/// Nothing is hard-coded; before a request, <see cref="DelayBefore"/> says how long to wait.
/// </summary>
public sealed class RateLimitTracker(TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _bucketOfRoute = [];
    private readonly Dictionary<string, BucketState> _buckets = [];
    private readonly HashSet<string> _probing = [];
    private DateTimeOffset _globalResetAt = DateTimeOffset.MinValue;

    /// <summary>
    /// Takes one request from the route's budget when it may be sent now; otherwise says how long to wait
    /// before asking again. A route whose bucket is not known yet sends one request at a time until the
    /// first response tells its limits.
    /// </summary>
    public bool TryReserve(string route, bool exemptFromGlobal, out TimeSpan wait, out long window)
    {
        window = -1;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            wait = !exemptFromGlobal && _globalResetAt > now ? _globalResetAt - now : TimeSpan.Zero;
            var bucket = _bucketOfRoute.TryGetValue(route, out var bucketId) ? _buckets.GetValueOrDefault(bucketId) : null;
            if (bucket is not null)
            {
                // A window refills only when nothing sent in it is still in flight: a late request would
                // otherwise land in the server's next window beside the new ones.
                if (bucket.ResetAt <= now && bucket.InFlight == 0)
                {
                    bucket.Remaining = bucket.Limit;
                    bucket.ResetAt = DateTimeOffset.MaxValue;
                    bucket.Window++;
                }

                if (bucket.Remaining <= 0)
                {
                    wait = Max(wait, bucket.ResetAt == DateTimeOffset.MaxValue || bucket.ResetAt <= now ? Probe : bucket.ResetAt - now);
                }
            }
            else if (_probing.Contains(route))
            {
                wait = Max(wait, Probe);
            }

            if (wait > TimeSpan.Zero)
            {
                return false;
            }

            if (bucket is not null)
            {
                bucket.Remaining--;
                bucket.InFlight++;
                window = bucket.Window;
            }
            else
            {
                _probing.Add(route);
            }

            return true;
        }
    }

    /// <summary>How often a request waiting on an unknown or exhausted-without-reset bucket looks again.</summary>
    private static readonly TimeSpan Probe = TimeSpan.FromMilliseconds(20);

    /// <summary>A request reserved on a route is done (answered or failed): it is no longer in flight.</summary>
    public void Release(string route, long window)
    {
        lock (_lock)
        {
            _probing.Remove(route);
            if (window >= 0 && _bucketOfRoute.TryGetValue(route, out var bucketId) && _buckets.TryGetValue(bucketId, out var bucket) && bucket.InFlight > 0)
            {
                bucket.InFlight--;
            }
        }
    }

    /// <summary>
    /// Learns the route's bucket from a response's X-RateLimit headers. <paramref name="window"/> is what
    /// <see cref="TryReserve"/> gave the request: a response to a request sent in an earlier window says
    /// nothing about the current one and only teaches the bucket's name.
    /// </summary>
    public void Observe(string route, HttpResponseHeaders headers, long window)
    {
        if (!TryGet(headers, "X-RateLimit-Bucket", out var bucketId)
            || !TryGet(headers, "X-RateLimit-Limit", out var limitText) || !int.TryParse(limitText, CultureInfo.InvariantCulture, out var limit)
            || !TryGet(headers, "X-RateLimit-Remaining", out var remainingText) || !int.TryParse(remainingText, CultureInfo.InvariantCulture, out var remaining)
            || !TryGet(headers, "X-RateLimit-Reset-After", out var resetText) || !double.TryParse(resetText, CultureInfo.InvariantCulture, out var resetAfter))
        {
            return;
        }

        lock (_lock)
        {
            _probing.Remove(route);
            _bucketOfRoute[route] = bucketId;
            // A little margin: the server's window may have started a moment before our clock says.
            var resetAt = time.GetUtcNow() + TimeSpan.FromSeconds(resetAfter) + TimeSpan.FromMilliseconds(25);
            if (!_buckets.TryGetValue(bucketId, out var bucket))
            {
                // Probes still in flight on routes not known yet may share this bucket, and the server may
                // count them after it wrote this answer's remaining: each comes off the budget (where one
                // turns out to be another bucket's, this window has a request fewer, no more).
                _buckets[bucketId] = new BucketState { Limit = limit, Remaining = remaining - _probing.Count, ResetAt = resetAt };
                return;
            }

            if (window >= 0 && window != bucket.Window)
            {
                return;
            }

            // Within one window, requests still in flight are not in the server's count yet: never
            // trust a remaining count higher than ours.
            bucket.Limit = limit;
            bucket.Remaining = Math.Min(bucket.Remaining, remaining);
            bucket.ResetAt = bucket.ResetAt == DateTimeOffset.MaxValue ? resetAt : bucket.ResetAt;
        }
    }

    /// <summary>A 429: the route's bucket (or everything, for a global limit) waits out retry_after.</summary>
    public void Limited(string route, TimeSpan retryAfter, bool global)
    {
        lock (_lock)
        {
            var until = time.GetUtcNow() + retryAfter;
            if (global)
            {
                _globalResetAt = until > _globalResetAt ? until : _globalResetAt;
            }
            else if (_bucketOfRoute.TryGetValue(route, out var bucketId) && _buckets.TryGetValue(bucketId, out var bucket))
            {
                bucket.Remaining = 0;
                bucket.ResetAt = until;
            }
            else
            {
                _bucketOfRoute[route] = route;
                _buckets[route] = new BucketState { Limit = 1, Remaining = 0, ResetAt = until };
            }
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static bool TryGet(HttpResponseHeaders headers, string name, out string value)
    {
        value = headers.TryGetValues(name, out var values) ? values.FirstOrDefault() ?? "" : "";
        return value.Length > 0;
    }

    private sealed class BucketState
    {
        public int Limit { get; set; }

        public int Remaining { get; set; }

        public DateTimeOffset ResetAt { get; set; }

        /// <summary>Counts the windows this bucket has been through, as we have seen them reset.</summary>
        public long Window { get; set; }

        /// <summary>Requests reserved on this bucket and not yet answered.</summary>
        public int InFlight { get; set; }
    }
}
