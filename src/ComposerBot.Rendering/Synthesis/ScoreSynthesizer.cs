using System.Runtime.CompilerServices;
using ComposerBot.Music;

namespace ComposerBot.Rendering.Synthesis;

/// <summary>
/// Turns a score into stereo PCM: each track gets its own synthesizer channel, events are applied between
/// rendered blocks, a release/reverb tail is rendered after the last note, then trimmed and faded.
/// </summary>
public sealed class ScoreSynthesizer(FluidSynthEngine engine, RenderLimits limits)
{
    private const int BlockFrames = 8192;

    /// <summary>Renders the score and trims its tail (at most the kept tail, faded to silence).</summary>
    public AudioBuffer Render(Score score, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        // Refused before any buffer is taken for it (too long a score would ask for gigabytes).
        Validate(score);

        // The untrimmed render lives only until it is trimmed: a pooled buffer (a minute at 48 kHz is 23 MB),
        // not another large object for the collector a track.
        var frames = RenderLength(score);
        using var samples = ScratchBuffers.Rent(checked((int)(frames * AudioBuffer.Channels)));
        RenderInto(score, frames, samples.Array, progress, cancellationToken);
        return new AudioBuffer(TailPlanFor(samples.Span, MusicEndFrame(score)).Apply(samples.Span), SampleRate);
    }

    public int SampleRate => engine.Settings.SampleRate;

    /// <summary>The longest release kept after the music (the rest of the rendered tail is cut).</summary>
    public long KeptTailFrames => ToFrame(engine.Settings.KeptTailSeconds, engine.Settings.SampleRate);

    /// <summary>The frame at which the score's last note ends.</summary>
    public long MusicEndFrame(Score score) => ToFrame(score.DurationSeconds, SampleRate);

    /// <summary>The frames an untrimmed render of the score has: the music and the whole release tail.</summary>
    public long RenderLength(Score score) => MusicEndFrame(score) + ToFrame(engine.Settings.TailSeconds, SampleRate);

    /// <summary>How a render of these samples is trimmed: the same plan trims parts and their sum alike.</summary>
    public TailPlan TailPlanFor(ReadOnlySpan<float> samples, long musicEndFrame) => TailPlan.For(samples, musicEndFrame, KeptTailFrames);

    /// <summary>
    /// Renders the score with its whole release tail and no trimming, <paramref name="frames"/> long when
    /// given (parts of one piece rendered alone then line up sample for sample).
    /// </summary>
    public (float[] Samples, long MusicEndFrame) RenderUntrimmed(Score score, long? length = null, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        var totalFrames = length ?? RenderLength(score);
        var samples = new float[totalFrames * AudioBuffer.Channels];
        RenderInto(score, totalFrames, samples, progress, cancellationToken);
        return (samples, MusicEndFrame(score));
    }

    /// <summary>Renders <paramref name="totalFrames"/> frames of the score (untrimmed) into the start of <paramref name="samples"/>.</summary>
    private void RenderInto(Score score, long totalFrames, float[] samples, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var written = 0;
        RenderBlocks(score, totalFrames, block =>
        {
            block.CopyTo(samples.AsSpan(written));
            written += block.Length;
        }, progress, cancellationToken);
    }

    /// <summary>
    /// Loads these presets' samples now (for a compressed SoundFont, decodes them), so a render that selects
    /// them later finds them loaded (a preset already loaded costs a set lookup), and prepares
    /// <paramref name="synthesizers"/> synthesizers for renders to come with them selected.
    /// </summary>
    public void Preload(IEnumerable<PresetRef> presets, int synthesizers, CancellationToken cancellationToken = default)
    {
        var list = presets.ToList();
        engine.Retain(list);
        engine.Prepare(list, synthesizers, cancellationToken);
    }

    /// <summary>
    /// Renders <paramref name="totalFrames"/> frames of the score (untrimmed) block by block into
    /// <paramref name="sink"/>, holding one block: the way a long piece is streamed. Every track plays on one
    /// synthesizer, as the <c>fluidsynth</c> command line plays a file: FluidSynth's reverb and chorus run
    /// once per synthesizer, and a render on two synthesizers of half the tracks each (until 2026-11-28)
    /// computed them twice, which cost two busy workers about 5% of their processor time per 60-second track
    /// for about 0.13 s less waiting on an idle machine (benchmarks/RESULTS.md, 2026-11-28).
    /// </summary>
    public void RenderBlocks(Score score, long totalFrames, Action<ReadOnlySpan<float>> sink, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        Validate(score);
        engine.Retain(Presets(score));
        using var cursor = new ScoreCursor(engine, score);
        var block = new float[BlockFrames * AudioBuffer.Channels];
        for (long frame = 0; frame < totalFrames;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var frames = (int)Math.Min(BlockFrames, totalFrames - frame);
            cursor.Render(block, frames);
            sink(block.AsSpan(0, frames * AudioBuffer.Channels));
            frame += frames;
            progress?.Report((double)frame / totalFrames);
        }
    }

    /// <summary>Adds the first <paramref name="length"/> samples of <paramref name="part"/> into <paramref name="sum"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AddInto(float[] sum, float[] part, int length)
    {
        var width = System.Numerics.Vector<float>.Count;
        var i = 0;
        for (; i + width <= length; i += width)
        {
            (new System.Numerics.Vector<float>(sum, i) + new System.Numerics.Vector<float>(part, i)).CopyTo(sum, i);
        }

        for (; i < length; i++)
        {
            sum[i] += part[i];
        }
    }

    /// <summary>
    /// The presets the score's sounding tracks select: each track's first program (a drum kit on bank 128)
    /// and every program change after a bank select, its bank read as <see cref="ChannelPlayback"/> plays it.
    /// </summary>
    public static IEnumerable<PresetRef> Presets(Score score)
    {
        foreach (var track in score.Tracks.Where(t => t.Notes.Count > 0))
        {
            yield return new PresetRef(track.IsDrum ? 128 : 0, track.Program, track.IsDrum);
            int msb = 0, lsb = 0;
            foreach (var control in track.Controls)
            {
                if (Select(track, control, ref msb, ref lsb) is { } selected)
                {
                    yield return selected;
                }
            }
        }
    }

    /// <summary>Each note of the track with the preset it sounds on: the track's first program, then what each program change after a bank select selects.</summary>
    public static IEnumerable<(PresetRef Preset, Note Note)> PresetsOf(Track track)
    {
        var preset = new PresetRef(track.IsDrum ? 128 : 0, track.Program, track.IsDrum);
        int msb = 0, lsb = 0, next = 0;
        foreach (var note in track.Notes)
        {
            for (; next < track.Controls.Count && track.Controls[next].Tick <= note.Start; next++)
            {
                preset = Select(track, track.Controls[next], ref msb, ref lsb) ?? preset;
            }

            yield return (preset, note);
        }
    }

    /// <summary>A bank select remembered, or the preset a program change selects, with its bank read as <see cref="ChannelPlayback"/> plays it.</summary>
    private static PresetRef? Select(Track track, ChannelControl control, ref int msb, ref int lsb)
    {
        switch (control)
        {
            case { Kind: ChannelControlKind.Controller, Number: 0 }:
                msb = control.Value;
                return null;
            case { Kind: ChannelControlKind.Controller, Number: 32 }:
                lsb = control.Value;
                return null;
            case { Kind: ChannelControlKind.Program }:
                return track.IsDrum ? new PresetRef(128, control.Value, true) : new PresetRef(ChannelPlayback.MelodicBank(msb, lsb), control.Value, false);
            default:
                return null;
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

    /// <summary>The score on its synthesizer: its events applied at their frames as the frames are rendered.</summary>
    private sealed class ScoreCursor : IDisposable
    {
        private readonly Score _score;
        private readonly SynthEvent[] _events;
        private readonly FluidSynthVoice _synth;
        private readonly ChannelPlayback _playback;
        private readonly Dictionary<(int Channel, int Key), int> _sounding = [];
        private int _next;
        private long _frame;

        public ScoreCursor(FluidSynthEngine engine, Score score)
        {
            _score = score;
            _events = Schedule(score, engine.Settings.SampleRate);
            _synth = engine.CreateSynth();
            _playback = new ChannelPlayback(_synth, score.Tracks, engine.Settings.Gain);
        }

        /// <summary>Renders the next <paramref name="frames"/> frames into the start of <paramref name="block"/>.</summary>
        public void Render(float[] block, int frames)
        {
            var done = 0;
            while (done < frames)
            {
                while (_next < _events.Length && _events[_next].Frame <= _frame)
                {
                    Apply(_events[_next++]);
                }

                var until = _frame + frames - done;
                if (_next < _events.Length)
                {
                    until = Math.Min(until, _events[_next].Frame);
                }

                var count = (int)(until - _frame);
                _synth.Render(block.AsSpan(done * AudioBuffer.Channels, count * AudioBuffer.Channels), count);
                done += count;
                _frame = until;
            }
        }

        public void Dispose() => _synth.Dispose();

        private void Apply(SynthEvent e)
        {
            switch (e.Phase)
            {
                case Phase.SysEx:
                    _playback.Apply(_score.SystemExclusives[e.Index]);
                    return;
                case Phase.Control:
                    _playback.Apply(e.Channel, _score.Tracks[e.Channel].Controls[e.Index]);
                    return;
            }

            // Overlapping notes of one pitch on one channel: strike each, release when the last one ends.
            var id = (e.Channel, e.Key);
            _sounding.TryGetValue(id, out var count);
            if (e.Phase == Phase.NoteOn)
            {
                _sounding[id] = count + 1;
                _synth.NoteOn(e.Channel, e.Key, e.Velocity);
            }
            else if (count > 0)
            {
                _sounding[id] = count - 1;
                if (count == 1)
                {
                    _synth.NoteOff(e.Channel, e.Key);
                }
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
