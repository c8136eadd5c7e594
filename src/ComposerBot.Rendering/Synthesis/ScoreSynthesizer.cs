using ComposerBot.Music;

namespace ComposerBot.Rendering.Synthesis;

/// <summary>
/// Turns a score into stereo PCM: each track gets its own synthesizer channel, events are applied between
/// rendered blocks, a release/reverb tail is rendered after the last note, then trimmed and faded.
/// </summary>
public sealed class ScoreSynthesizer(FluidSynthEngine engine, RenderLimits limits)
{
    private const int BlockFrames = 4096;

    /// <summary>Renders the score and trims its tail (at most the kept tail, faded to silence).</summary>
    public AudioBuffer Render(Score score, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        var (samples, musicEndFrame) = RenderUntrimmed(score, null, progress, cancellationToken);
        return new AudioBuffer(TailPlanFor(samples, musicEndFrame).Apply(samples), engine.Settings.SampleRate);
    }

    public int SampleRate => engine.Settings.SampleRate;

    /// <summary>The longest release kept after the music (the rest of the rendered tail is cut).</summary>
    public long KeptTailFrames => ToFrame(engine.Settings.KeptTailSeconds, engine.Settings.SampleRate);

    /// <summary>The frame at which the score's last note ends.</summary>
    public long MusicEndFrame(Score score) => ToFrame(score.DurationSeconds, SampleRate);

    /// <summary>The frames an untrimmed render of the score has: the music and the whole release tail.</summary>
    public long RenderLength(Score score) => MusicEndFrame(score) + ToFrame(engine.Settings.TailSeconds, SampleRate);

    /// <summary>How a render of these samples is trimmed: the same plan trims parts and their sum alike.</summary>
    public TailPlan TailPlanFor(float[] samples, long musicEndFrame) =>
        TailPlan.For(samples, musicEndFrame, ToFrame(engine.Settings.KeptTailSeconds, engine.Settings.SampleRate));

    /// <summary>
    /// Renders the score with its whole release tail and no trimming, <paramref name="frames"/> long when
    /// given (parts of one piece rendered alone then line up sample for sample).
    /// </summary>
    public (float[] Samples, long MusicEndFrame) RenderUntrimmed(Score score, long? length = null, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        var totalFrames = length ?? RenderLength(score);
        var samples = new float[totalFrames * AudioBuffer.Channels];
        var written = 0;
        RenderBlocks(score, totalFrames, block =>
        {
            block.CopyTo(samples.AsSpan(written));
            written += block.Length;
        }, progress, cancellationToken);
        return (samples, MusicEndFrame(score));
    }

    /// <summary>
    /// Renders <paramref name="totalFrames"/> frames of the score (untrimmed) block by block into
    /// <paramref name="sink"/>, holding no more than one block: the way a long piece is streamed.
    /// </summary>
    public void RenderBlocks(Score score, long totalFrames, Action<ReadOnlySpan<float>> sink, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        Validate(score);
        var rate = engine.Settings.SampleRate;
        var events = Schedule(score, rate);
        var block = new float[BlockFrames * AudioBuffer.Channels];

        using var synth = engine.CreateSynth();
        var playback = new ChannelPlayback(synth, score.Tracks, engine.Settings.Gain);
        var sounding = new Dictionary<(int Channel, int Key), int>();
        long frame = 0;
        var next = 0;
        while (frame < totalFrames)
        {
            cancellationToken.ThrowIfCancellationRequested();
            while (next < events.Length && events[next].Frame <= frame)
            {
                Apply(synth, playback, score, events[next++], sounding);
            }

            var until = next < events.Length ? Math.Min(events[next].Frame, totalFrames) : totalFrames;
            var frames = (int)Math.Min(BlockFrames, until - frame);
            var span = block.AsSpan(0, frames * AudioBuffer.Channels);
            synth.Render(span, frames);
            sink(span);
            frame += frames;
            progress?.Report((double)frame / totalFrames);
        }
    }

    /// <summary>Refuses, with a <see cref="RenderException"/>, a score that cannot be rendered (no notes, too many tracks, too long).</summary>
    public void Validate(Score score)
    {
        if (score.NoteCount == 0)
        {
            throw new RenderException(score.EndTick > 0
                ? $"there is nothing to play: the file holds {score.DurationSeconds:0.#} s of silence and no notes."
                : "the score has no notes to render.");
        }

        if (score.Tracks.Count > limits.MaxTracks)
        {
            throw new RenderException($"the score has {score.Tracks.Count} tracks, over the limit of {limits.MaxTracks}.");
        }

        if (score.DurationSeconds > limits.MaxDurationSeconds)
        {
            throw new RenderException(
                $"the score lasts {FormatDuration(score.DurationSeconds)}, over the limit of {FormatDuration(limits.MaxDurationSeconds)}.");
        }
    }

    private static string FormatDuration(double seconds) => TimeSpan.FromSeconds(Math.Round(seconds)).ToString(seconds >= 3600 ? @"h\:mm\:ss" : @"m\:ss", System.Globalization.CultureInfo.InvariantCulture);

    private static long ToFrame(double seconds, int rate) => (long)Math.Round(seconds * rate);

    private static SynthEvent[] Schedule(Score score, int rate)
    {
        var events = new List<SynthEvent>(score.NoteCount * 2);
        for (var channel = 0; channel < score.Tracks.Count; channel++)
        {
            var track = score.Tracks[channel];
            foreach (var note in track.Notes)
            {
                events.Add(new SynthEvent(ToFrame(score.TempoMap.ToSeconds(note.Start), rate), Phase.NoteOn, channel, note.Pitch, note.Velocity));
                events.Add(new SynthEvent(ToFrame(score.TempoMap.ToSeconds(note.End), rate), Phase.NoteOff, channel, note.Pitch, 0));
            }

            for (var i = 0; i < track.Controls.Count; i++)
            {
                events.Add(new SynthEvent(ToFrame(score.TempoMap.ToSeconds(track.Controls[i].Tick), rate), Phase.Control, channel, 0, 0, i));
            }
        }

        for (var i = 0; i < score.SystemExclusives.Count; i++)
        {
            events.Add(new SynthEvent(ToFrame(score.TempoMap.ToSeconds(score.SystemExclusives[i].Tick), rate), Phase.SysEx, -1, 0, 0, i));
        }

        // At one frame: note-offs first, so a repeated note is struck again rather than cut; then SysEx
        // (a reset before the programs that follow it), then controls in file order, then note-ons, which
        // sound with the program, pedal, wheel and tuning set at their tick.
        return [.. events.OrderBy(e => e.Frame).ThenBy(e => e.Phase).ThenBy(e => e.Channel).ThenBy(e => e.Key).ThenBy(e => e.Index)];
    }

    private static void Apply(FluidSynthVoice synth, ChannelPlayback playback, Score score, SynthEvent e, Dictionary<(int, int), int> sounding)
    {
        switch (e.Phase)
        {
            case Phase.SysEx:
                playback.Apply(score.SystemExclusives[e.Index]);
                return;
            case Phase.Control:
                playback.Apply(e.Channel, score.Tracks[e.Channel].Controls[e.Index]);
                return;
        }

        // Overlapping notes of one pitch on one channel: strike each, release when the last one ends.
        var id = (e.Channel, e.Key);
        sounding.TryGetValue(id, out var count);
        if (e.Phase == Phase.NoteOn)
        {
            sounding[id] = count + 1;
            synth.NoteOn(e.Channel, e.Key, e.Velocity);
        }
        else if (count > 0)
        {
            sounding[id] = count - 1;
            if (count == 1)
            {
                synth.NoteOff(e.Channel, e.Key);
            }
        }
    }

    private enum Phase : byte
    {
        NoteOff,
        SysEx,
        Control,
        NoteOn,
    }

    private readonly record struct SynthEvent(long Frame, Phase Phase, int Channel, int Key, int Velocity, int Index = 0);
}
