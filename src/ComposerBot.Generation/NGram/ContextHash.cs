namespace ComposerBot.Generation.NGram;

/// <summary>64-bit FNV-1a over a few integers: the key of an n-gram context.</summary>
internal static class ContextHash
{
    public static ulong Of(ReadOnlySpan<int> values)
    {
        var hash = 14695981039346656037UL;
        foreach (var v in values)
        {
            hash = (hash ^ (uint)v) * 1099511628211UL;
            hash = (hash ^ (uint)(v >> 16)) * 1099511628211UL;
        }

        return hash;
    }
}
