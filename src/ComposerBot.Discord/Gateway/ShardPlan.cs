namespace ComposerBot.Discord.Gateway;

/// <summary>
/// Sharding arithmetic: which shard a guild's events come to, and how often one identify rate-limit key
/// (<c>shard_id % max_concurrency</c>) may identify.
/// </summary>
public static class ShardPlan
{
    public static readonly TimeSpan IdentifyInterval = TimeSpan.FromSeconds(5);

    /// <summary>shard_id = (guild_id &gt;&gt; 22) % num_shards.</summary>
    public static int ShardOf(ulong guildId, int shardCount) => (int)((guildId >> 22) % (ulong)shardCount);
}
