using System.Diagnostics;

namespace ComposerBot.Benchmarks;

/// <summary>Repeated wall-clock timings and their median.</summary>
internal static class Measure
{
    public static async Task<double> MedianSecondsAsync(int runs, Func<Task> work)
    {
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await work();
            times.Add(watch.Elapsed.TotalSeconds);
        }

        times.Sort();
        return times[times.Count / 2];
    }

    public static Task<double> MedianSecondsAsync(int runs, Action work) =>
        MedianSecondsAsync(runs, () =>
        {
            work();
            return Task.CompletedTask;
        });
}
