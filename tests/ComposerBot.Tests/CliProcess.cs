using System.Collections.Concurrent;
using System.Diagnostics;

namespace ComposerBot.Tests;

/// <summary>A long-running composerbot (serve, worker) started as a process; its output is kept for failure messages.</summary>
public sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    public CliProcess(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        _process = Process.Start(CliRunner.StartInfo(environment, args))!;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string Output => string.Join('\n', _output);

    public bool HasExited => _process.HasExited;

    /// <summary>kill -9: no chance to finish, hand back or clean up anything.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>kill -TERM, as a service manager stops it; returns the exit code.</summary>
    public int Terminate(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        if (!_process.WaitForExit(timeout))
        {
            KillHard();
            Assert.Fail($"composerbot did not stop within {timeout.TotalSeconds} s of SIGTERM:\n{Output}");
        }

        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            KillHard();
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
