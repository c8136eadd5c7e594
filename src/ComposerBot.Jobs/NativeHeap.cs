using System.Runtime.InteropServices;

namespace ComposerBot.Jobs;

/// <summary>
/// glibc's heap, which the native libraries (FluidSynth, libtorch) allocate from: what a render freed there
/// stays resident in the arenas' holes until trimmed.
/// </summary>
internal static partial class NativeHeap
{
    /// <summary>
    /// Returns the free pages of every arena to the system (malloc_trim); false where the C library has no
    /// such call (not glibc).
    /// </summary>
    public static bool Trim()
    {
        try
        {
            _ = MallocTrim(0);
            return true;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
