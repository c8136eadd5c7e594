using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ComposerBot.Rendering.Synthesis;

/// <summary>
/// Owns the FluidSynth settings and keeps one synthesizer with the SoundFonts loaded for the life of the
/// process, so FluidSynth's sample cache holds them once; each render gets a fresh synthesizer (never
/// shared across threads) that reuses the cached samples. The overlays (the chip voices) are loaded after
/// the main SoundFont, so their presets are found first. With dynamic sample loading a preset's samples
/// are loaded (for a compressed .sf3, decoded) when a channel selects it and dropped when none does, so the
/// resident synthesizer keeps selected every preset a render has used (<see cref="Retain"/>) and the
/// <see cref="SynthSettings.ResidentPresets"/>: each is decoded once per process, not once per render.
/// A fresh synthesizer still parses the SoundFont's presets and, for each preset a channel selects, prepares
/// its samples in that instance (MuseScore General: about 13 ms and 9 ms a preset): <see cref="Prepare"/>
/// does that ahead, while the melody is written, and <see cref="CreateSynth"/> hands out what it prepared.
/// </summary>
public sealed partial class FluidSynthEngine : IDisposable
{
    private readonly IntPtr _settings;
    private readonly IntPtr _residentSynth;
    private readonly HashSet<PresetRef> _retained = [];
    private readonly ConcurrentQueue<IntPtr> _prepared = new();
    private readonly ILogger<FluidSynthEngine> _logger;
    private bool _disposed;

    public FluidSynthEngine(string soundFontPath, SynthSettings settings, ILogger<FluidSynthEngine> logger, IReadOnlyList<string>? overlays = null)
    {
        _logger = logger;
        SoundFontPath = soundFontPath;
        Overlays = overlays ?? [];
        Settings = settings;
        SilenceLibraryLog();
        _settings = FluidSynthNative.NewSettings();
        if (_settings == IntPtr.Zero)
        {
            throw new RenderException("FluidSynth could not create its settings.");
        }

        FluidSynthNative.SetNum(_settings, "synth.sample-rate", settings.SampleRate);
        FluidSynthNative.SetNum(_settings, "synth.gain", settings.Gain);
        FluidSynthNative.SetInt(_settings, "synth.polyphony", settings.Polyphony);
        FluidSynthNative.SetInt(_settings, "synth.midi-channels", MaxChannels);
        FluidSynthNative.SetInt(_settings, "synth.lock-memory", 0);
        // Load only the samples of presets in use: a few instruments need a fraction of the SoundFont.
        FluidSynthNative.SetInt(_settings, "synth.dynamic-sample-loading", settings.DynamicSampleLoading ? 1 : 0);
        FluidSynthNative.SetInt(_settings, "synth.threadsafe-api", 0);
        FluidSynthNative.SetInt(_settings, "synth.cpu-cores", 1);
        FluidSynthNative.SetInt(_settings, "synth.reverb.active", settings.Reverb ? 1 : 0);
        FluidSynthNative.SetInt(_settings, "synth.chorus.active", settings.Chorus ? 1 : 0);

        var started = TimeProvider.System.GetTimestamp();
        _residentSynth = NewSynthWithSoundFont();
        Retain(settings.ResidentPresets);
        var elapsed = TimeProvider.System.GetElapsedTime(started);
        LogLoaded(soundFontPath, Overlays.Count, settings.ResidentPresets.Count, elapsed.TotalMilliseconds);
    }

    /// <summary>One synthesizer channel per score track, so this bounds the track count.</summary>
    public const int MaxChannels = 256;

    public string SoundFontPath { get; }

    /// <summary>The SoundFonts loaded over the main one (their presets win).</summary>
    public IReadOnlyList<string> Overlays { get; }

    public SynthSettings Settings { get; }

    /// <summary>
    /// The most synthesizers kept prepared: one for each of two renders at once (a render takes one). Each
    /// holds its own parse of the SoundFont (MuseScore General: about 22 MiB).
    /// </summary>
    public const int MaxPrepared = 2;

    /// <summary>How many synthesizers are prepared and waiting for a render.</summary>
    public int PreparedCount => _prepared.Count;

    /// <summary>
    /// Creates synthesizers ahead of the renders that will take them (<see cref="CreateSynth"/>), in parallel,
    /// until <paramref name="count"/> wait (at most <see cref="MaxPrepared"/>), each with the SoundFont loaded
    /// and these presets selected on its last channels, so that a render selecting them finds their samples
    /// ready. Channels without notes are silent: a prepared synthesizer renders a score to the same samples
    /// as a fresh one.
    /// </summary>
    public void Prepare(IEnumerable<PresetRef> presets, int count, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var selected = presets.Distinct().Take(MaxChannels / 2).ToList();
        var missing = Math.Min(count, MaxPrepared) - _prepared.Count;
        ParallelRun.For(missing, _ => PrepareOne(selected), cancellationToken);
    }

    private void PrepareOne(IReadOnlyList<PresetRef> selected)
    {
        var synth = NewSynthWithSoundFont();
        try
        {
            var voice = new FluidSynthVoice(synth, owned: false);
            for (var i = 0; i < selected.Count; i++)
            {
                voice.SetUpChannel(MaxChannels - 1 - i, selected[i].Program, selected[i].Drum, selected[i].Bank);
            }
        }
        catch
        {
            FluidSynthNative.DeleteSynth(synth);
            throw;
        }

        _prepared.Enqueue(synth);
        if (_prepared.Count > MaxPrepared && _prepared.TryDequeue(out var surplus))
        {
            FluidSynthNative.DeleteSynth(surplus);
        }
    }

    /// <summary>
    /// Keeps these presets loaded for the life of the process (a channel of the resident synthesizer
    /// selects each); the first call for a preset loads it, later ones cost a set lookup.
    /// </summary>
    public void Retain(IEnumerable<PresetRef> presets)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_retained)
        {
            using var resident = new FluidSynthVoice(_residentSynth, owned: false);
            foreach (var preset in presets)
            {
                if (_retained.Count < MaxChannels && _retained.Add(preset))
                {
                    resident.SetUpChannel(_retained.Count - 1, preset.Program, preset.Drum, preset.Bank);
                }
            }
        }
    }

    /// <summary>
    /// A synthesizer with the SoundFont loaded and nothing played yet: one <see cref="Prepare"/> made, else a
    /// new one. The caller owns and disposes it.
    /// </summary>
    public FluidSynthVoice CreateSynth()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new FluidSynthVoice(_prepared.TryDequeue(out var ready) ? ready : NewSynthWithSoundFont());
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        while (_prepared.TryDequeue(out var synth))
        {
            FluidSynthNative.DeleteSynth(synth);
        }

        FluidSynthNative.DeleteSynth(_residentSynth);
        FluidSynthNative.DeleteSettings(_settings);
    }

    private IntPtr NewSynthWithSoundFont()
    {
        var synth = FluidSynthNative.NewSynth(_settings);
        if (synth == IntPtr.Zero)
        {
            throw new RenderException("FluidSynth could not create a synthesizer.");
        }

        // No preset reset on load: it would select program 0 (the piano) and the drum kit on every channel, which
        // with dynamic sample loading decodes those samples (about 2 s for MuseScore General's piano) whether or
        // not a render plays them. Every channel a render uses is set up by ChannelPlayback first.
        foreach (var path in Overlays.Prepend(SoundFontPath))
        {
            if (FluidSynthNative.SoundFontLoad(synth, path, resetPresets: 0) == FluidSynthNative.Failed)
            {
                FluidSynthNative.DeleteSynth(synth);
                throw new RenderException($"FluidSynth could not load the SoundFont {path}.");
            }
        }

        return synth;
    }

    private static void SilenceLibraryLog()
    {
        // FluidSynth prints warnings to stderr by default; our own logging reports what matters.
        for (var level = 0; level <= 4; level++)
        {
            FluidSynthNative.SetLogFunction(level, IntPtr.Zero, IntPtr.Zero);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded SoundFont {Path} (+{Overlays} overlays, {Resident} resident presets) in {Milliseconds:0} ms")]
    private partial void LogLoaded(string path, int overlays, int resident, double milliseconds);
}
