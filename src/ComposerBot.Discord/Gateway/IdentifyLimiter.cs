namespace ComposerBot.Discord.Gateway;

/// <summary>
/// Discord's identify rate, shared by all shards of a bot: each rate-limit key
/// (<c>shard_id % max_concurrency</c>) may identify once per interval (5 s). Resumes do not count.
/// </summary>
public sealed class IdentifyLimiter(int maxConcurrency, TimeSpan interval, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, DateTimeOffset> _next = [];

    /// <summary>Waits until this shard may identify, and claims the slot.</summary>
    public async Task WaitTurnAsync(int shardId, CancellationToken cancellationToken)
    {
        var key = shardId % maxConcurrency;
        TimeSpan wait;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var at = _next.TryGetValue(key, out var next) && next > now ? next : now;
            _next[key] = at + interval;
            wait = at - now;
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
