using System.Buffers;

namespace ComposerBot.Rendering;

/// <summary>
/// The pool for the large buffers that live only within a render (the untrimmed synthesis, the true-peak
/// envelopes and window peaks, the bus compressor's gains): a minute at 48 kHz is 11-23 MB each, which
/// allocated anew for every track made the collector run a gen-2 collection about six times a track with two
/// workers, each pause stopping both. Bounded, unlike <see cref="ArrayPool{T}.Shared"/>, whose per-thread
/// slots kept one buffer of each size for every thread that returned one (a `serve` peaked 83 MiB higher):
/// at most two of a size are kept for the process, and none over <see cref="LongestKept"/> floats (a render of
/// a few minutes allocates its own rather than leave 100 MB in the pool).
/// </summary>
internal static class ScratchBuffers
{
    /// <summary>The most buffers of one size kept: what a render has out at once.</summary>
    public const int PerSize = 2;

    /// <summary>The longest buffer kept: 8M floats (32 MB), a stereo render of 87 s at 48 kHz.</summary>
    public const int LongestKept = 1 << 23;

    public static ArrayPool<float> Floats { get; } = ArrayPool<float>.Create(LongestKept, PerSize);
}
