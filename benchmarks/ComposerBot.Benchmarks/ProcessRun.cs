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
            // The script's `exec` makes the process the .NET host itself; its high-water mark covers the run so far.
            peakKiB = Math.Max(peakKiB, StatusKiB(process.Id, "VmHWM"));
            await Task.Delay(20, cancellationToken);
        }

        await process.WaitForExitAsync(cancellationToken);
        await output;
        await errors;
        return (process.ExitCode, watch.Elapsed.TotalSeconds, peakKiB / 1024.0);
    }

    /// <summary>A memory line of /proc/PID/status (VmHWM, VmRSS, ...) in KiB; 0 when the process is gone.</summary>
    public static long StatusKiB(int pid, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(':', 2)[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
