using ComposerBot.Music;

namespace ComposerBot.Rendering.SoundFonts;

/// <summary>
/// The chip voices, built by our code as a SoundFont that FluidSynth loads beside the General MIDI one:
/// pulse waves of 12.5%, 25% and 50% duty and a 4-bit stepped triangle (the 2A03's 8- and 32-step
/// sequences), and a drum kit of LFSR noise in its long (32,767-step) and short (93-step) modes with
/// triangle-sweep kicks and toms. Each melodic voice is multisampled every half octave, each sample
/// holding only the harmonics that stay under <see cref="HighestHarmonicHz"/> at the top of its range, so
/// high notes do not alias; the noise is integrated over each output sample (a box filter), not sampled.
/// </summary>
public static class ChipSoundFont
{
    /// <summary>The highest harmonic any note keeps (under the Nyquist frequency of 44.1 and 48 kHz output).</summary>
    public const double HighestHarmonicHz = 18_000;

    private const int SampleRate = 48_000;

    /// <summary>
    /// The melodic tables' sample rate: four times the output's, so FluidSynth's cubic interpolation reads
    /// even the highest kept harmonic at 10 or more points per cycle (at 48 kHz its error images came to -30 dB).
    /// </summary>
    private const int TableRate = 4 * SampleRate;
    private const int BandWidth = 6;
    private const int MinimumLoop = 256;
    private const double Level = 0.55 * short.MaxValue;

    /// <summary>The 2A03 pulse sequences (one step per eighth of the period) of each duty in <see cref="ChipPresets.Duties"/>.</summary>
    private static readonly double[][] PulseSteps = [[0, 1, 0, 0, 0, 0, 0, 0], [0, 1, 1, 0, 0, 0, 0, 0], [0, 1, 1, 1, 1, 0, 0, 0]];

    /// <summary>The 2A03 triangle: 32 steps of a 4-bit level, 15 down to 0 and back up.</summary>
    private static readonly double[] TriangleSteps = [.. Enumerable.Range(0, 32).Select(i => (double)(i < 16 ? 15 - i : i - 16))];

    /// <summary>The 2A03 noise timer periods (CPU cycles per LFSR step) at the NTSC CPU clock.</summary>
    private const double CpuClock = 1_789_773;

    /// <summary>The file's bytes (the same on every run and machine).</summary>
    public static byte[] Build()
    {
        var samples = new List<SoundFontSample>();
        var instruments = new List<SoundFontInstrument>();
        var presets = new List<SoundFontPreset>();
        for (var i = 0; i < PulseSteps.Length; i++)
        {
            var duty = ChipPresets.Duties[i];
            instruments.Add(Melodic($"Pulse {duty * 100:0.#}%", PulseSteps[i], samples));
            presets.Add(new SoundFontPreset($"Chip pulse {duty * 100:0.#}%", ChipPresets.PulseBank + i, ChipPresets.PulseProgram, instruments.Count - 1));
        }

        instruments.Add(Melodic("Triangle 4-bit", TriangleSteps, samples));
        presets.Add(new SoundFontPreset("Chip triangle", ChipPresets.TriangleBank, ChipPresets.TriangleProgram, instruments.Count - 1));
        instruments.Add(NoiseKit(samples));
        presets.Add(new SoundFontPreset("Chip noise kit", 128, ChipPresets.NoiseKitProgram, instruments.Count - 1));
        return SoundFontWriter.Write("ComposerBot chip voices", samples, instruments, presets);
    }

    /// <summary>
    /// The design's version, in the cached file's name: a change to the voices must bump it, so a machine
    /// that cached the old file builds the new one (a test holds the cached file to <see cref="Build"/>).
    /// </summary>
    public const int Version = 1;

    /// <summary>The cached file's name.</summary>
    public static string FileName => $"composerbot-chip-v{Version}.sf2";

    /// <summary>
    /// The chip SoundFont in <paramref name="directory"/>, built and written there atomically the first
    /// time (building takes about a second; loading the cached file, milliseconds).
    /// </summary>
    public static string Ensure(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            var bytes = Build();
            Directory.CreateDirectory(directory);
            var temp = $"{path}.{Environment.ProcessId}.tmp";
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, path, overwrite: true);
        }

        return path;
    }

    /// <summary>
    /// The harmonic amplitudes (1-based: index n is harmonic n, index 0 unused) of a waveform of equal-width
    /// steps, with its mean removed: the exact Fourier series of the stepped (zero-order-hold) shape.
    /// </summary>
    public static (double Cos, double Sin)[] Harmonics(IReadOnlyList<double> steps, int count)
    {
        var m = steps.Count;
        var result = new (double, double)[count + 1];
        for (var n = 1; n <= count; n++)
        {
            // c_n = sum_k s_k * integral over step k of e^{-2 pi i n t} dt (period 1), as cos and sin terms.
            double re = 0, im = 0;
            for (var k = 0; k < m; k++)
            {
                var a = 2 * Math.PI * n * k / m;
                var b = 2 * Math.PI * n * (k + 1) / m;
                re += steps[k] * (Math.Sin(b) - Math.Sin(a)) / (2 * Math.PI * n);
                im += steps[k] * (Math.Cos(b) - Math.Cos(a)) / (2 * Math.PI * n);
            }

            // x(t) = sum over n of 2 Re(c_n e^{2 pi i n t}) = 2 Re(c_n) cos - 2 Im(c_n) sin.
            result[n] = (2 * re, -2 * im);
        }

        return result;
    }

    private static SoundFontInstrument Melodic(string name, double[] steps, List<SoundFontSample> samples)
    {
        // The level set by the largest swing from the mean, so the band-limited wave's overshoot (about 9%
        // of a step) stays inside 16 bits: a 12.5% pulse swings 0.875 of its step above the mean.
        var mean = steps.Average();
        var scale = Level / steps.Max(s => Math.Abs(s - mean));
        var zones = new List<SoundFontZone>
        {
            new(
                [
                    (Generator.AttackVolumeEnvelope, SoundFontWriter.Timecents(0.003)),
                    (Generator.ReleaseVolumeEnvelope, SoundFontWriter.Timecents(0.05)),
                    (Generator.ReverbSend, 0),
                    (Generator.ChorusSend, 0),
                ],
                null,
                // The default modulator that closes the filter for softer notes (SF2.01 8.4.2, as FluidSynth
                // reads it) overridden with amount 0: a chip's loudness changes, its timbre does not.
                [new SoundFontModulator(0x0102, (ushort)Generator.InitialFilterCutoff, 0, 0x0C02, 0)]),
        };
        for (var lowKey = 0; lowKey < 128; lowKey += BandWidth)
        {
            var highKey = Math.Min(127, lowKey + BandWidth - 1);
            var harmonics = Math.Max(1, (int)(HighestHarmonicHz / Frequency(highKey)));
            samples.Add(Looped($"{name[..Math.Min(name.Length, 12)]} {lowKey}", steps, scale, lowKey, harmonics));
            zones.Add(new SoundFontZone(
                [(Generator.KeyRange, SoundFontWriter.Range(lowKey, highKey)), (Generator.SampleModes, 1), (Generator.OverridingRootKey, (short)lowKey)],
                samples.Count - 1));
        }

        return new SoundFontInstrument(name, zones);
    }

    /// <summary>A loop of whole periods at <paramref name="rootKey"/>'s pitch holding the first <paramref name="count"/> harmonics.</summary>
    private static SoundFontSample Looped(string name, double[] steps, double scale, int rootKey, int count)
    {
        var frequency = Frequency(rootKey);
        var perPeriod = TableRate / frequency;
        var periods = Math.Max(1, (int)Math.Ceiling(MinimumLoop / perPeriod));
        var length = (int)Math.Round(periods * perPeriod);
        var rate = (int)Math.Round(frequency * length / periods);
        var harmonics = Harmonics(steps, count);
        var sum = new double[length];
        for (var n = 1; n <= count; n++)
        {
            // Each harmonic by a rotating phasor (exact to ~1e-12 over a loop), not a sine per point.
            var angle = 2 * Math.PI * n * periods / length;
            var (stepCos, stepSin) = (Math.Cos(angle), Math.Sin(angle));
            var (c, s) = (1.0, 0.0);
            for (var j = 0; j < length; j++)
            {
                sum[j] += (harmonics[n].Cos * c) + (harmonics[n].Sin * s);
                (c, s) = ((c * stepCos) - (s * stepSin), (s * stepCos) + (c * stepSin));
            }
        }

        var loop = sum.Select(v => Clamp(v * scale)).ToArray();

        // The loop twice over, so interpolation reads whole periods on both sides of the loop point.
        return new SoundFontSample(name, [.. loop, .. loop], rate, rootKey, 0, (length / 2, (length / 2) + length));
    }

    private static SoundFontInstrument NoiseKit(List<SoundFontSample> samples)
    {
        var zones = new List<SoundFontZone>
        {
            new([(Generator.ReverbSend, 0), (Generator.ChorusSend, 0)], null,
                [new SoundFontModulator(0x0102, (ushort)Generator.InitialFilterCutoff, 0, 0x0C02, 0)]),
        };

        void Drum(int key, string name, float[] sound, int exclusiveClass = 0)
        {
            samples.Add(new SoundFontSample(name, [.. sound.Select(v => Clamp(v * Level))], SampleRate, key, 0, null));
            var generators = new List<(Generator, short)>
            {
                (Generator.KeyRange, SoundFontWriter.Range(key, key)),
                (Generator.OverridingRootKey, (short)key),
                // The hit rings out whatever the note's length, as drum kits do.
                (Generator.ReleaseVolumeEnvelope, SoundFontWriter.Timecents(Math.Max(0.05, (double)sound.Length / SampleRate))),
            };
            if (exclusiveClass > 0)
            {
                generators.Add((Generator.ExclusiveClass, (short)exclusiveClass));
            }

            zones.Add(new SoundFontZone(generators, samples.Count - 1));
        }

        var kick = Sweep(150, 45, 0.16, 0.9);
        Drum(35, "Kick 2", kick);
        Drum(36, "Kick", Mix(kick, Noise(longMode: true, timerPeriod: 4, seconds: 0.012, decay: 0.004, 0.5)));
        Drum(37, "Side stick", Noise(longMode: true, timerPeriod: 8, seconds: 0.03, decay: 0.008, 0.7));
        var snare = Mix(Noise(longMode: true, timerPeriod: 64, seconds: 0.22, decay: 0.06, 0.85), Sweep(240, 160, 0.05, 0.5));
        Drum(38, "Snare", snare);
        Drum(40, "Snare 2", Mix(Noise(longMode: true, timerPeriod: 32, seconds: 0.25, decay: 0.07, 0.85), Sweep(260, 180, 0.05, 0.45)));
        Drum(39, "Clap", Bursts(Noise(longMode: true, timerPeriod: 32, seconds: 0.2, decay: 0.05, 0.8)));
        Drum(42, "Closed hat", Noise(longMode: true, timerPeriod: 4, seconds: 0.05, decay: 0.015, 0.55), exclusiveClass: 1);
        Drum(44, "Pedal hat", Noise(longMode: true, timerPeriod: 4, seconds: 0.04, decay: 0.01, 0.45), exclusiveClass: 1);
        Drum(46, "Open hat", Noise(longMode: true, timerPeriod: 4, seconds: 0.35, decay: 0.12, 0.5), exclusiveClass: 1);
        Drum(49, "Crash", Noise(longMode: true, timerPeriod: 16, seconds: 1.2, decay: 0.4, 0.6));
        Drum(57, "Crash 2", Noise(longMode: true, timerPeriod: 32, seconds: 1.2, decay: 0.4, 0.6));
        Drum(51, "Ride (short noise)", Noise(longMode: false, timerPeriod: 8, seconds: 0.5, decay: 0.2, 0.35));
        Drum(59, "Ride 2 (short noise)", Noise(longMode: false, timerPeriod: 16, seconds: 0.5, decay: 0.2, 0.35));
        Drum(53, "Ride bell (short noise)", Noise(longMode: false, timerPeriod: 4, seconds: 0.3, decay: 0.1, 0.4));
        Drum(54, "Tambourine", Noise(longMode: true, timerPeriod: 4, seconds: 0.12, decay: 0.04, 0.45));
        Drum(56, "Cowbell (short noise)", Noise(longMode: false, timerPeriod: 32, seconds: 0.15, decay: 0.05, 0.45));
        (int Key, double From, double To)[] toms = [(41, 110, 60), (43, 130, 70), (45, 160, 85), (47, 190, 100), (48, 230, 120), (50, 270, 140)];
        foreach (var (key, from, to) in toms)
        {
            Drum(key, $"Tom {key}", Sweep(from, to, 0.2, 0.8));
        }

        return new SoundFontInstrument("Noise kit", zones);
    }

    /// <summary>
    /// The 2A03 noise channel: a 15-bit LFSR stepped every <paramref name="timerPeriod"/> CPU cycles,
    /// feedback from bit 1 (long mode) or bit 6 (short mode), each output sample the mean of the steps it
    /// covers; an exponential decay (time constant <paramref name="decay"/>) over <paramref name="seconds"/>.
    /// </summary>
    public static float[] Noise(bool longMode, int timerPeriod, double seconds, double decay, double level)
    {
        var frames = (int)(seconds * SampleRate);
        var result = new float[frames];
        var stepsPerFrame = CpuClock / timerPeriod / SampleRate;
        var register = 1;
        var tap = longMode ? 1 : 6;
        var position = 0.0;
        for (var i = 0; i < frames; i++)
        {
            // The mean of the register's output over [position, position + stepsPerFrame).
            var end = position + stepsPerFrame;
            var sum = 0.0;
            while (position < end)
            {
                var next = Math.Min(end, Math.Floor(position) + 1);
                sum += ((register & 1) == 0 ? 1.0 : -1.0) * (next - position);
                if (next == Math.Floor(position) + 1)
                {
                    var feedback = (register ^ (register >> tap)) & 1;
                    register = (register >> 1) | (feedback << 14);
                }

                position = next;
            }

            result[i] = (float)(level * (sum / stepsPerFrame) * Math.Exp(-(double)i / SampleRate / decay) * Fade(i, frames));
        }

        return result;
    }

    /// <summary>A 4-bit triangle whose pitch falls from <paramref name="from"/> to <paramref name="to"/> Hz (kicks and toms).</summary>
    private static float[] Sweep(double from, double to, double seconds, double level)
    {
        var frames = (int)(seconds * SampleRate);
        var result = new float[frames];
        var phase = 0.0;
        for (var i = 0; i < frames; i++)
        {
            var progress = (double)i / frames;
            var frequency = from * Math.Pow(to / from, progress);
            phase = (phase + (frequency / SampleRate)) % 1;
            var step = TriangleSteps[(int)(phase * 32)];
            result[i] = (float)(level * ((step / 7.5) - 1) * (1 - progress) * Fade(i, frames));
        }

        return result;
    }

    private static float[] Bursts(float[] noise)
    {
        var gap = SampleRate / 100;
        return [.. noise.Select((v, i) => i < 3 * gap && (i / (gap / 2)) % 2 == 1 ? 0f : v)];
    }

    private static float[] Mix(float[] a, float[] b) =>
        [.. Enumerable.Range(0, Math.Max(a.Length, b.Length)).Select(i => (i < a.Length ? a[i] : 0f) + (i < b.Length ? b[i] : 0f))];

    /// <summary>A 2 ms fade at the end, so a one-shot never stops on a step.</summary>
    private static double Fade(int i, int frames) => Math.Min(1.0, (frames - i) / (0.002 * SampleRate));

    private static double Frequency(int key) => 440 * Math.Pow(2, (key - 69) / 12.0);

    private static short Clamp(double value) => (short)Math.Clamp(Math.Round(value), short.MinValue, short.MaxValue);
}
