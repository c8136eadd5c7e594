using ComposerBot.Music.IO;
using System.Diagnostics;
using System.Globalization;

namespace ComposerBot.Rendering.Encoding;

/// <summary>
/// Makes an OBS-ready stinger transition: a 1920x1080 WebM (VP9 with alpha, yuva420p) carrying the
/// stinger's audio. A coloured panel wipes in from the left, covers the whole screen at the transition
/// point (the hit), and wipes out to the right; the first and last few frames are fully transparent
/// (a margin of frames keeps the lossy alpha plane of the encoder from smearing into them).
/// </summary>
public sealed class StingerVideoEncoder(string ffmpegPath)
{
    public const int Width = 1920;
    public const int Height = 1080;
    public const int FramesPerSecond = 30;
    private const double MarginSeconds = 4.0 / FramesPerSecond;

    public async Task EncodeAsync(string audioPath, double seconds, double transitionSeconds, string outputPath, CancellationToken cancellationToken)
    {
        if (transitionSeconds <= 0 || transitionSeconds >= seconds)
        {
            throw new RenderException($"the transition point ({transitionSeconds:0.###} s) must fall inside the stinger (0-{seconds:0.###} s).");
        }

        var inv = CultureInfo.InvariantCulture;
        if (transitionSeconds <= MarginSeconds || transitionSeconds >= seconds - MarginSeconds)
        {
            throw new RenderException($"the transition point ({transitionSeconds:0.###} s) is too close to the ends of a {seconds:0.###} s stinger for a wipe.");
        }

        var (d, tp) = (seconds.ToString("0.######", inv), transitionSeconds.ToString("0.######", inv));
        var (start, inLength, outLength) = (MarginSeconds.ToString("0.######", inv), (transitionSeconds - MarginSeconds).ToString("0.######", inv), (seconds - transitionSeconds - MarginSeconds).ToString("0.######", inv));
        var canvas = $"color=c=black@0.0:s={Width}x{Height}:r={FramesPerSecond}:d={d},format=yuva420p";
        var panel = $"color=c=0x4EA8DE:s={Width}x{Height}:r={FramesPerSecond}:d={d},format=yuva420p";
        // x: off-screen left until the margin, sliding in to cover the screen at the hit, then out to the right.
        var wipe = $"[0][1]overlay=x='if(lt(t,{tp}),W*(max(0,t-{start})/{inLength}-1),W*min(1,(t-{tp})/{outLength}))':y=0:eval=frame:format=auto,format=yuva420p[v]";
        await AtomicFile.WriteAsync(outputPath, async (temp, ct) =>
        {
            string[] arguments =
            [
                "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
                "-f", "lavfi", "-i", canvas, "-f", "lavfi", "-i", panel, "-i", audioPath,
                "-filter_complex", wipe, "-map", "[v]", "-map", "2:a",
                "-c:v", "libvpx-vp9", "-pix_fmt", "yuva420p", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "0", "-crf", "32",
                "-c:a", "libopus", "-b:a", "128k", "-t", d, "-f", "webm", temp,
            ];
            var info = new ProcessStartInfo(ffmpegPath) { RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            using var process = FfmpegProcess.Start(info);
            var errors = await process.StandardError.ReadToEndAsync(ct).ConfigureAwait(false);
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new RenderException($"ffmpeg failed to make the stinger video: {errors.Trim().Split('\n')[0]}");
            }
        }, cancellationToken).ConfigureAwait(false);
    }
}
