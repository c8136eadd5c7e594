using System.ComponentModel;
using System.Diagnostics;

namespace ComposerBot.Rendering.Encoding;

/// <summary>Starts ffmpeg or ffprobe; a tool that is not installed is a <see cref="RenderException"/> that says how to install it.</summary>
internal static class FfmpegProcess
{
    public static Process Start(ProcessStartInfo info)
    {
        try
        {
            return Process.Start(info) ?? throw new RenderException($"could not start {info.FileName}.");
        }
        catch (Win32Exception ex)
        {
            throw new RenderException($"{Path.GetFileName(info.FileName)} was not found ({info.FileName}); install it with 'apt-get install ffmpeg'.", ex);
        }
    }
}
