namespace ComposerBot.Discord.Gateway;

/// <summary>
/// Discord's identify rules, shared by all shards of a bot: each rate-limit key
/// (<c>shard_id % max_concurrency</c>) may identify once per interval (5 s), and the bot may start only
/// <c>session_start_limit.remaining</c> sessions until <c>reset_after</c> (1,000 a day; past that Discord
/// resets the bot's token). When the budget is spent, an identify waits for the reset rather than spend
/// it: a loop of invalid sessions slows to nothing instead of costing the token. Resumes do not count.
/// </summary>
public sealed class IdentifyLimiter(int maxConcurrency, TimeSpan interval, TimeProvider time, Models.SessionStartLimit? budget = null)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, DateTimeOffset> _next = [];
    private readonly int _total = budget?.Total ?? int.MaxValue;
    private int _remaining = budget?.Remaining ?? int.MaxValue;
    private DateTimeOffset _resetAt = time.GetUtcNow() + TimeSpan.FromMilliseconds(budget?.ResetAfter ?? 0);

    /// <summary>Identifies left before the budget resets.</summary>
    public int Remaining
    {
        get
        {
            lock (_lock)
            {
                return _remaining;
            }
        }
    }

    /// <summary>Waits until this shard may identify (its key's slot and the daily budget), and claims both.</summary>
    public async Task WaitTurnAsync(int shardId, CancellationToken cancellationToken)
    {
        var key = shardId % Math.Max(1, maxConcurrency);
        while (true)
        {
            TimeSpan wait;
            bool claimed;
            lock (_lock)
            {
                var now = time.GetUtcNow();
                if (now >= _resetAt && _remaining < _total)
                {
                    // A new budget: Discord's window is a day from the first identify after the reset.
                    _remaining = _total;
                    _resetAt = now + TimeSpan.FromDays(1);
                }

                claimed = _remaining > 0;
                if (claimed)
                {
                    var at = _next.TryGetValue(key, out var next) && next > now ? next : now;
                    _next[key] = at + interval;
                    _remaining--;
                    wait = at - now;
                }
                else
                {
                    wait = _resetAt - now;
                }
            }

            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }

            if (claimed)
            {
                return;
            }
        }
    }
}
