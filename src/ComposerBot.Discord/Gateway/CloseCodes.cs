namespace ComposerBot.Discord.Gateway;

/// <summary>What a gateway close code means for the next connection.</summary>
public static class CloseCodes
{
    /// <summary>4004 authentication failed; 4010 invalid shard; 4011 sharding required; 4012 invalid API version; 4013/4014 intents.</summary>
    public static bool IsFatal(int code) => code is 4004 or 4010 or 4011 or 4012 or 4013 or 4014;

    /// <summary>4007 invalid seq and 4009 session timed out: reconnect, but Identify anew.</summary>
    public static bool NeedsNewSession(int code) => code is 4007 or 4009;
}
