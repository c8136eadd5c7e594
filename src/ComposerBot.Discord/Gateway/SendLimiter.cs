namespace ComposerBot.Discord.Gateway;

/// <summary>At most <c>limit</c> sends in any window of <c>window</c>; callers wait their turn.</summary>
internal sealed class SendLimiter(int limit, TimeSpan window, TimeProvider time) : IDisposable
{
    private readonly Queue<DateTimeOffset> _sent = new();
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Waits for a free slot and holds the send lock; dispose the result after sending.</summary>
    public async Task<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var now = time.GetUtcNow();
                while (_sent.Count > 0 && now - _sent.Peek() >= window)
                {
                    _sent.Dequeue();
                }

                if (_sent.Count < limit)
                {
                    _sent.Enqueue(now);
                    return new Release(_gate);
                }

                await Task.Delay(window - (now - _sent.Peek()) + TimeSpan.FromMilliseconds(5), time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            _gate.Release();
            throw;
        }
    }

    public void Dispose() => _gate.Dispose();

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
