using System.Buffers.Binary;
using Ascii = System.Text.Encoding;

namespace ComposerBot.Rendering.SoundFonts;

/// <summary>The SoundFont 2.01 generators we write (the spec's section 8.1.2 numbers).</summary>
public enum Generator : ushort
{
    InitialFilterCutoff = 8,
    ChorusSend = 15,
    ReverbSend = 16,
    Pan = 17,
    AttackVolumeEnvelope = 34,
    HoldVolumeEnvelope = 35,
    DecayVolumeEnvelope = 36,
    SustainVolumeEnvelope = 37,
    ReleaseVolumeEnvelope = 38,
    Instrument = 41,
    KeyRange = 43,
    VelocityRange = 44,
    InitialAttenuation = 48,
    SampleId = 53,
    SampleModes = 54,
    ScaleTuning = 56,
    ExclusiveClass = 57,
    OverridingRootKey = 58,
}

/// <summary>A mono 16-bit sample; a loop (start inclusive, end exclusive, in samples) when it sustains.</summary>
public sealed record SoundFontSample(string Name, short[] Data, int SampleRate, int RootKey, int PitchCorrectionCents, (int Start, int End)? Loop);

/// <summary>A modulator as the file stores it (source, destination, amount, amount source, transform).</summary>
public readonly record struct SoundFontModulator(ushort Source, ushort Destination, short Amount, ushort AmountSource, ushort Transform);

/// <summary>An instrument zone: generators (a key range first) and the sample it plays, or none for the global zone.</summary>
public sealed record SoundFontZone(IReadOnlyList<(Generator Generator, short Amount)> Generators, int? Sample, IReadOnlyList<SoundFontModulator>? Modulators = null);

public sealed record SoundFontInstrument(string Name, IReadOnlyList<SoundFontZone> Zones);

/// <summary>A preset: a bank and program that plays one instrument over the whole keyboard.</summary>
public sealed record SoundFontPreset(string Name, int Bank, int Program, int Instrument);

/// <summary>
/// Writes a SoundFont 2.01 file (RIFF 'sfbk': INFO, the sample data, the nine 'pdta' tables with their
/// terminal records), as the specification lays it out.
/// </summary>
public static class SoundFontWriter
{
    private const int SamplePadding = 46;

    public static byte[] Write(string name, IReadOnlyList<SoundFontSample> samples, IReadOnlyList<SoundFontInstrument> instruments, IReadOnlyList<SoundFontPreset> presets)
    {
        var info = List("INFO",
            Chunk("ifil", [2, 0, 1, 0]),
            Chunk("isng", Text("EMU8000", even: true)),
            Chunk("INAM", Text(name, even: true)),
            Chunk("ISFT", Text("ComposerBot", even: true)));

        var smpl = new byte[samples.Sum(s => 2 * (s.Data.Length + SamplePadding))];
        var starts = new List<int>();
        var at = 0;
        foreach (var sample in samples)
        {
            starts.Add(at);
            foreach (var value in sample.Data)
            {
                BinaryPrimitives.WriteInt16LittleEndian(smpl.AsSpan(2 * at++), value);
            }

            at += SamplePadding;
        }

        var sdta = List("sdta", Chunk("smpl", smpl));
        var pdta = List("pdta", Presets(presets), PresetBags(presets), Chunk("pmod", new byte[10]), PresetGenerators(presets),
            Instruments(instruments), InstrumentBags(instruments), InstrumentModulators(instruments), InstrumentGenerators(instruments),
            SampleHeaders(samples, starts));
        return Chunk("RIFF", [.. "sfbk"u8, .. info, .. sdta, .. pdta]);
    }

    private static byte[] Presets(IReadOnlyList<SoundFontPreset> presets)
    {
        var table = new Table();
        for (var i = 0; i < presets.Count; i++)
        {
            table.Name(presets[i].Name).U16(presets[i].Program).U16(presets[i].Bank).U16(i).U32(0).U32(0).U32(0);
        }

        return table.Name("EOP").U16(0).U16(0).U16(presets.Count).U32(0).U32(0).U32(0).Chunk("phdr");
    }

    // One zone per preset, holding one generator (its instrument) and no modulator.
    private static byte[] PresetBags(IReadOnlyList<SoundFontPreset> presets)
    {
        var table = new Table();
        for (var i = 0; i <= presets.Count; i++)
        {
            table.U16(i).U16(0);
        }

        return table.Chunk("pbag");
    }

    private static byte[] PresetGenerators(IReadOnlyList<SoundFontPreset> presets)
    {
        var table = new Table();
        foreach (var preset in presets)
        {
            table.U16((ushort)Generator.Instrument).U16(preset.Instrument);
        }

        return table.U16(0).U16(0).Chunk("pgen");
    }

    private static byte[] Instruments(IReadOnlyList<SoundFontInstrument> instruments)
    {
        var table = new Table();
        var bag = 0;
        foreach (var instrument in instruments)
        {
            table.Name(instrument.Name).U16(bag);
            bag += instrument.Zones.Count;
        }

        return table.Name("EOI").U16(bag).Chunk("inst");
    }

    private static byte[] InstrumentBags(IReadOnlyList<SoundFontInstrument> instruments)
    {
        var table = new Table();
        int generators = 0, modulators = 0;
        foreach (var zone in instruments.SelectMany(i => i.Zones))
        {
            table.U16(generators).U16(modulators);
            generators += zone.Generators.Count + (zone.Sample is null ? 0 : 1);
            modulators += zone.Modulators?.Count ?? 0;
        }

        return table.U16(generators).U16(modulators).Chunk("ibag");
    }

    private static byte[] InstrumentModulators(IReadOnlyList<SoundFontInstrument> instruments)
    {
        var table = new Table();
        foreach (var modulator in instruments.SelectMany(i => i.Zones).SelectMany(z => z.Modulators ?? []))
        {
            table.U16(modulator.Source).U16(modulator.Destination).U16((ushort)modulator.Amount).U16(modulator.AmountSource).U16(modulator.Transform);
        }

        return table.U16(0).U16(0).U16(0).U16(0).U16(0).Chunk("imod");
    }

    private static byte[] InstrumentGenerators(IReadOnlyList<SoundFontInstrument> instruments)
    {
        var table = new Table();
        foreach (var zone in instruments.SelectMany(i => i.Zones))
        {
            foreach (var (generator, amount) in zone.Generators)
            {
                table.U16((ushort)generator).U16((ushort)amount);
            }

            if (zone.Sample is { } sample)
            {
                table.U16((ushort)Generator.SampleId).U16(sample);
            }
        }

        return table.U16(0).U16(0).Chunk("igen");
    }

    private static byte[] SampleHeaders(IReadOnlyList<SoundFontSample> samples, List<int> starts)
    {
        var table = new Table();
        for (var i = 0; i < samples.Count; i++)
        {
            var sample = samples[i];
            var start = starts[i];
            var (loopStart, loopEnd) = sample.Loop ?? (0, 0);
            table.Name(sample.Name).U32(start).U32(start + sample.Data.Length).U32(start + loopStart).U32(start + loopEnd).U32(sample.SampleRate)
                .U8(sample.RootKey).U8((byte)(sbyte)sample.PitchCorrectionCents).U16(0).U16(1);
        }

        return table.Name("EOS").U32(0).U32(0).U32(0).U32(0).U32(0).U8(0).U8(0).U16(0).U16(0).Chunk("shdr");
    }

    /// <summary>Generator amounts that are two bytes (a key range: low, high).</summary>
    public static short Range(int low, int high) => (short)(low | (high << 8));

    /// <summary>A time in seconds as the file's timecents.</summary>
    public static short Timecents(double seconds) => (short)Math.Round(1200 * Math.Log2(seconds));

    private static byte[] Text(string text, bool even)
    {
        var bytes = Ascii.ASCII.GetBytes(text + "\0");
        return even && bytes.Length % 2 == 1 ? [.. bytes, 0] : bytes;
    }

    private static byte[] Chunk(string id, byte[] data)
    {
        var chunk = new byte[8 + data.Length + (data.Length % 2)];
        Ascii.ASCII.GetBytes(id, chunk);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(4), (uint)data.Length);
        data.CopyTo(chunk, 8);
        return chunk;
    }

    private static byte[] List(string type, params byte[][] chunks)
    {
        return Chunk("LIST", [.. Ascii.ASCII.GetBytes(type), .. chunks.SelectMany(c => c)]);
    }

    /// <summary>A little-endian record table.</summary>
    private sealed class Table
    {
        private readonly List<byte> _bytes = [];

        public Table Name(string name)
        {
            var field = new byte[20];
            Ascii.ASCII.GetBytes(name.Length > 19 ? name[..19] : name, field);
            _bytes.AddRange(field);
            return this;
        }

        public Table U8(int value)
        {
            _bytes.Add((byte)value);
            return this;
        }

        public Table U16(int value)
        {
            _bytes.Add((byte)value);
            _bytes.Add((byte)(value >> 8));
            return this;
        }

        public Table U32(long value)
        {
            for (var shift = 0; shift < 32; shift += 8)
            {
                _bytes.Add((byte)(value >> shift));
            }
            return this;
        }

        public byte[] Chunk(string id) => SoundFontWriter.Chunk(id, _bytes.ToArray());
    }
}
