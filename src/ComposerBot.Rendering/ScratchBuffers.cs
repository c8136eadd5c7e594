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

    private static readonly ArrayPool<float> Floats = ArrayPool<float>.Create(LongestKept, PerSize);

    /// <summary>A buffer of at least <paramref name="length"/> floats, given back to the pool when disposed.</summary>
    public static ScratchBuffer Rent(int length) => new(Floats.Rent(length), length);

    /// <summary>A rented buffer: its array (perhaps longer) and the first <c>length</c> floats asked for.</summary>
    public readonly struct ScratchBuffer(float[] array, int length) : IDisposable
    {
        /// <summary>The pool's array, at least as long as asked; only its first floats belong to the caller's work.</summary>
        public float[] Array => array;

        public Span<float> Span => array.AsSpan(0, length);

        public void Dispose() => Floats.Return(array);
    }
}
