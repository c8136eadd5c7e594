using System.Diagnostics;

namespace ComposerBot.Benchmarks;

/// <summary>Repeated wall-clock timings and their median.</summary>
internal static class Measure
{
    /// <summary>This process's peak resident memory so far (VmHWM), in MiB.</summary>
    public static double PeakResidentMiB()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>
    /// Processor time this process and its finished children (ffmpeg) have used so far, user and system, in
    /// seconds (/proc/self/stat fields 14-17, in clock ticks of 1/100 s).
    /// </summary>
    public static double ProcessorSeconds()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return Enumerable.Range(11, 4).Sum(i => double.Parse(fields[i], System.Globalization.CultureInfo.InvariantCulture)) / 100;
    }

    public static async Task<double> MedianSecondsAsync(int runs, Func<Task> work)
    {
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await work();
            times.Add(watch.Elapsed.TotalSeconds);
        }

        return Median(times);
    }

    /// <summary>The value at a quantile (0.5 = median) of a sample.</summary>
    public static double Percentile(IEnumerable<double> values, double quantile)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(quantile * sorted.Count))];
    }

    public static double Median(IEnumerable<double> values) => Percentile(values, 0.5);

    public static Task<double> MedianSecondsAsync(int runs, Action work) =>
        MedianSecondsAsync(runs, () =>
        {
            work();
            return Task.CompletedTask;
        });
}
