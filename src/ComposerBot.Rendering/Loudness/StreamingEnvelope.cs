namespace ComposerBot.Rendering.Loudness;

/// <summary>
/// The true-peak envelope (<see cref="TruePeakMeter.Envelope"/>) of a stream fed block by block: each
/// chunk is measured with enough of its neighbours around it that every value equals the whole signal's,
/// and the values come out in order, a chunk and a few frames behind the input.
/// </summary>
public sealed class StreamingEnvelope(int sampleRate, int chunkFrames = 32_768)
{
    /// <summary>More than the interpolator reaches on either side of a frame (12 frames).</summary>
    private const int Context = 32;
    private readonly List<float> _pending = [];
    private int _history;

    /// <summary>Adds interleaved stereo frames; appends the envelope values that became known to <paramref name="output"/>.</summary>
    public void Push(ReadOnlySpan<float> interleaved, List<float> output)
    {
        foreach (var sample in interleaved)
        {
            _pending.Add(sample);
        }

        while (_pending.Count / AudioBuffer.Channels >= _history + chunkFrames + Context)
        {
            Emit(_history + chunkFrames + Context, chunkFrames, output);
            var keepFrom = (_history + chunkFrames - Context) * AudioBuffer.Channels;
            _pending.RemoveRange(0, keepFrom);
            _history = Context;
        }
    }

    /// <summary>The envelope of what is left, as if the signal ended here (silence after it).</summary>
    public void Complete(List<float> output)
    {
        var frames = _pending.Count / AudioBuffer.Channels;
        if (frames > _history)
        {
            Emit(frames, frames - _history, output);
        }

        _pending.Clear();
        _history = 0;
    }

    private void Emit(int windowFrames, int count, List<float> output)
    {
        var window = new float[windowFrames * AudioBuffer.Channels];
        _pending.CopyTo(0, window, 0, window.Length);
        var envelope = TruePeakMeter.Envelope(new AudioBuffer(window, sampleRate));
        output.AddRange(envelope.AsSpan(_history, count));
    }
}
