using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace ComposerBot.Rendering.Synthesis;

/// <summary>
/// Owns the FluidSynth settings and keeps one synthesizer with the SoundFont loaded for the life of the
/// process, so FluidSynth's sample cache holds the SoundFont once; each render gets a fresh synthesizer
/// (never shared across threads) that reuses the cached samples.
/// </summary>
public sealed partial class FluidSynthEngine : IDisposable
{
    private readonly IntPtr _settings;
    private readonly IntPtr _residentSynth;
    private readonly ILogger<FluidSynthEngine> _logger;
    private bool _disposed;

    public FluidSynthEngine(string soundFontPath, SynthSettings settings, ILogger<FluidSynthEngine> logger)
    {
        _logger = logger;
        SoundFontPath = soundFontPath;
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
        var elapsed = TimeProvider.System.GetElapsedTime(started);
        LogLoaded(soundFontPath, elapsed.TotalMilliseconds);
    }

    /// <summary>One synthesizer channel per score track, so this bounds the track count.</summary>
    public const int MaxChannels = 256;

    public string SoundFontPath { get; }

    public SynthSettings Settings { get; }

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

        if (FluidSynthNative.SoundFontLoad(synth, SoundFontPath, 1) == FluidSynthNative.Failed)
        {
            FluidSynthNative.DeleteSynth(synth);
            throw new RenderException($"FluidSynth could not load the SoundFont {SoundFontPath}.");
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded SoundFont {Path} in {Milliseconds:0} ms")]
    private partial void LogLoaded(string path, double milliseconds);
}
