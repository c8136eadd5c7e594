namespace ComposerBot.Rendering.Synthesis;

/// <summary>
/// Where a render is cut: the music ends at <see cref="MusicEndFrame"/>, the audible release after it is
/// kept up to <see cref="EndFrame"/> and faded to silence over that stretch.
/// </summary>
public readonly record struct TailPlan(long MusicEndFrame, long EndFrame)
{
    /// <summary>
    /// Keeps the tail while it is audible (above -60 dB of the peak), at most <paramref name="maxTailFrames"/>.
    /// </summary>
    public static TailPlan For(ReadOnlySpan<float> interleaved, long musicEndFrame, long maxTailFrames)
    {
        var peak = 0f;
        foreach (var s in interleaved)
        {
            peak = Math.Max(peak, Math.Abs(s));
        }

        var tailStart = Math.Min(musicEndFrame, interleaved.Length / 2);
        return For(peak, interleaved[(int)(2 * tailStart)..], tailStart, musicEndFrame, maxTailFrames);
    }

    /// <summary>
    /// The same plan from what a stream keeps: the whole render's peak and its frames from
    /// <paramref name="tailStartFrame"/> on (the release after the music).
    /// </summary>
    public static TailPlan For(float peak, ReadOnlySpan<float> tail, long tailStartFrame, long musicEndFrame, long maxTailFrames)
    {
        var threshold = peak * 1e-3f;
        var totalFrames = tailStartFrame + (tail.Length / 2);
        var lastFrame = Math.Min(totalFrames, musicEndFrame + maxTailFrames);
        var end = Math.Min(musicEndFrame, totalFrames);
        for (var f = lastFrame - 1; f >= musicEndFrame && f >= tailStartFrame; f--)
        {
            var k = (int)(f - tailStartFrame);
            if (Math.Abs(tail[2 * k]) > threshold || Math.Abs(tail[(2 * k) + 1]) > threshold)
            {
                end = f + 1;
                break;
            }
        }

        return new TailPlan(musicEndFrame, end);
    }

    /// <summary>Trims and fades one block of a stream that starts at <paramref name="startFrame"/>; returns the frames kept.</summary>
    public int ApplyInPlace(Span<float> block, long startFrame)
    {
        var frames = (int)Math.Clamp(EndFrame - startFrame, 0, block.Length / 2);
        var fadeFrames = EndFrame - MusicEndFrame;
        for (var k = 0; k < frames; k++)
        {
            var f = startFrame + k;
            if (f >= MusicEndFrame)
            {
                var gain = (float)(0.5 * (1 + Math.Cos(Math.PI * (f - MusicEndFrame + 1) / fadeFrames)));
                block[2 * k] *= gain;
                block[(2 * k) + 1] *= gain;
            }
        }

        return frames;
    }

    /// <summary>The samples up to <see cref="EndFrame"/>, the stretch after the music faded out.</summary>
    public float[] Apply(ReadOnlySpan<float> interleaved)
    {
        var trimmed = new float[EndFrame * 2];
        interleaved[..Math.Min(interleaved.Length, trimmed.Length)].CopyTo(trimmed);
        ApplyInPlace(trimmed, 0);
        return trimmed;
    }
}
