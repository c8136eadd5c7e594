using System.Diagnostics;
using System.Globalization;

namespace ComposerBot.Benchmarks;

/// <summary>A command run as a process to its end: its exit code, wall time and peak resident memory.</summary>
internal static class ProcessRun
{
    /// <summary>Runs a process to its end; its wall time and the peak of its resident memory (VmHWM, polled).</summary>
    public static async Task<(int Exit, double Seconds, double PeakMiB)> RunAsync(string[] command, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in command.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        long peakKiB = 0;
        while (!process.HasExited)
        {
            peakKiB = Math.Max(peakKiB, PeakKiB(process.Id));
            await Task.Delay(20, cancellationToken);
        }

        await process.WaitForExitAsync(cancellationToken);
        await output;
        await errors;
        return (process.ExitCode, watch.Elapsed.TotalSeconds, peakKiB / 1024.0);
    }

    private static long PeakKiB(int pid)
    {
        try
        {
            // The script's `exec` makes the process the .NET host itself; its high-water mark covers the run so far.
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(':', 2)[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
