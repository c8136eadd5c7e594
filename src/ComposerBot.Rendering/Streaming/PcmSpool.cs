using System.Runtime.InteropServices;
using ComposerBot.Rendering.Synthesis;

namespace ComposerBot.Rendering.Streaming;

/// <summary>
/// A long render's PCM on disk (raw 32-bit float, interleaved stereo, in the temporary folder) instead of
/// in memory: written once by the synthesizer, then read block by block, trimmed and faded by the tail
/// plan, as often as the loudness passes and the encoder need. Deleted on dispose.
/// </summary>
internal sealed class PcmSpool : IDisposable
{
    private const int ReadFrames = 32_768;
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"composerbot-render-{Guid.NewGuid():N}.f32");
    private readonly FileStream _writer;
    private readonly List<float> _tail = [];
    private long _tailStart = -1;

    public PcmSpool(long tailStartFrame)
    {
        _writer = new FileStream(_path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 20, FileOptions.None);
        TailStartFrame = tailStartFrame;
    }

    public long TailStartFrame { get; }

    public long Frames { get; private set; }

    public float Peak { get; private set; }

    /// <summary>Where the kept audio ends and how its release is faded; set by <see cref="Finish"/>.</summary>
    public TailPlan Plan { get; private set; }

    /// <summary>Frames the reader returns: the render up to the plan's end.</summary>
    public long KeptFrames => Plan.EndFrame;

    public void Write(ReadOnlySpan<float> block)
    {
        _writer.Write(MemoryMarshal.AsBytes(block));
        foreach (var sample in block)
        {
            Peak = Math.Max(Peak, Math.Abs(sample));
        }

        var frames = block.Length / 2;
        if (Frames + frames > TailStartFrame)
        {
            var from = (int)Math.Max(0, TailStartFrame - Frames);
            _tailStart = _tailStart < 0 ? Frames + from : _tailStart;
            foreach (var sample in block[(from * 2)..])
            {
                _tail.Add(sample);
            }
        }

        Frames += frames;
    }

    /// <summary>Closes the file and decides the tail, as <see cref="ScoreSynthesizer.TailPlanFor"/> would on the whole render.</summary>
    public void Finish(long musicEndFrame, long maxTailFrames)
    {
        _writer.Flush();
        _writer.Dispose();
        Plan = TailPlan.For(Peak, CollectionsMarshal.AsSpan(_tail), _tailStart < 0 ? Frames : _tailStart, musicEndFrame, maxTailFrames);
        _tail.Clear();
    }

    /// <summary>Reads the kept audio from the start, block by block, trimmed and faded.</summary>
    public void Read(Action<ReadOnlySpan<float>> sink, CancellationToken cancellationToken)
    {
        var block = new float[ReadFrames * 2];
        using var reader = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        long frame = 0;
        while (frame < KeptFrames)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var bytes = MemoryMarshal.AsBytes(block.AsSpan());
            var read = reader.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            if (read == 0)
            {
                break;
            }

            var span = block.AsSpan(0, read / sizeof(float) / 2 * 2);
            var kept = Plan.ApplyInPlace(span, frame);
            sink(span[..(kept * 2)]);
            frame += span.Length / 2;
        }
    }

    public void Dispose()
    {
        _writer.Dispose();
        File.Delete(_path);
    }
}
