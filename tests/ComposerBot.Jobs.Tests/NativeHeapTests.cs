namespace ComposerBot.Jobs.Tests;

public class NativeHeapTests
{
    [Fact]
    public void The_native_heap_is_trimmed_on_glibc()
    {
        // Debian's C library is glibc: the call binds and runs (elsewhere it reports that it cannot).
        Assert.True(File.Exists("/lib/x86_64-linux-gnu/libc.so.6") || File.Exists("/lib/aarch64-linux-gnu/libc.so.6"), "not a glibc system");
        Assert.True(NativeHeap.Trim());
    }
}
