using System.Runtime.InteropServices;
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
/// </summary>
public sealed partial class FluidSynthEngine : IDisposable
{
    private readonly IntPtr _settings;
    private readonly IntPtr _residentSynth;
    private readonly HashSet<PresetRef> _retained = [];
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

    /// <summary>A fresh synthesizer with the SoundFont loaded. The caller owns and disposes it.</summary>
    public FluidSynthVoice CreateSynth()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new FluidSynthVoice(NewSynthWithSoundFont());
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
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
