using System.Globalization;
using System.Runtime.InteropServices;

namespace ComposerBot.Benchmarks;

/// <summary>Appends a dated, machine-labelled section to benchmarks/RESULTS.md.</summary>
internal static class ResultsFile
{
    public static async Task AppendAsync(string path, string report, CancellationToken cancellationToken)
    {
        var header = File.Exists(path) ? "" : "# Benchmark results\n\nNewest last. Each section names its machine and date; compare ratios measured in one run, not absolute times across sections.\n\n";
        var section = $"## {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}: {Machine()}\n\n{report}\n";
        await File.AppendAllTextAsync(path, header + section, cancellationToken);
    }

    private static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memoryGiB = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores ({cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}), {memoryGiB:0} GiB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
    }
}
