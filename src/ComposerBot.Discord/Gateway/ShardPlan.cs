namespace ComposerBot.Discord.Gateway;

/// <summary>
/// Sharding arithmetic: which shard a guild's events come to, and how shards fall into identify waves
/// (<c>max_concurrency</c> rate-limit keys, each identifying once every 5 seconds).
/// </summary>
public static class ShardPlan
{
    public static readonly TimeSpan WaveInterval = TimeSpan.FromSeconds(5);

    /// <summary>shard_id = (guild_id &gt;&gt; 22) % num_shards.</summary>
    public static int ShardOf(ulong guildId, int shardCount) => (int)((guildId >> 22) % (ulong)shardCount);

    /// <summary>The shards grouped into identify waves of <paramref name="maxConcurrency"/>, in order.</summary>
    public static IReadOnlyList<IReadOnlyList<int>> Waves(int shardCount, int maxConcurrency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        return [.. Enumerable.Range(0, shardCount).Chunk(maxConcurrency).Select(wave => (IReadOnlyList<int>)wave)];
    }
}
