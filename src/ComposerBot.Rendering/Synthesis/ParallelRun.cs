using System.Runtime.ExceptionServices;

namespace ComposerBot.Rendering.Synthesis;

/// <summary>
/// <see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/> that throws the first failure itself, not
/// an <see cref="AggregateException"/> around it, so callers see what the work threw (a RenderException, a
/// cancellation) as they would from a plain loop.
/// </summary>
internal static class ParallelRun
{
    public static void For(int count, Action<int> body, CancellationToken cancellationToken = default)
    {
        try
        {
            Parallel.For(0, Math.Max(0, count), new ParallelOptions { CancellationToken = cancellationToken }, body);
        }
        catch (AggregateException e)
        {
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
    }
}
