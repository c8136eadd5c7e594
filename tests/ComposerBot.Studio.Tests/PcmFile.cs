using System.Diagnostics;
using ComposerBot.Rendering;

namespace ComposerBot.Studio.Tests;

/// <summary>Decodes any audio file to 48 kHz stereo float PCM with ffmpeg, to compare what we wrote.</summary>
internal static class PcmFile
{
    public static AudioBuffer Read(string path)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-v", "error", "-i", path, "-f", "f32le", "-ar", "48000", "-ac", "2", "pipe:1" })
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        using var memory = new MemoryStream();
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.BaseStream.CopyTo(memory);
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, errors.Result);
        var bytes = memory.ToArray();
        var samples = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, samples, 0, bytes.Length);
        return new AudioBuffer(samples, 48_000);
    }
}
