namespace ComposerBot.Generation.Tests;

/// <summary>
/// Runs the garbage collector and every pending finalizer over and over on another thread until disposed:
/// what a busy worker's other threads do now and then, all the time. An object that libtorch still reads
/// but that .NET no longer holds is finalized under this within milliseconds, not once in a thousand runs.
/// </summary>
internal sealed class CollectorStorm : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

    public CollectorStorm()
    {
        _thread = new Thread(() =>
        {
            while (!_stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        })
        { IsBackground = true, Name = "collector storm" };
        _thread.Start();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
    }
}
