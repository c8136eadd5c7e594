using System.Buffers.Binary;
using Ascii = System.Text.Encoding;

namespace ComposerBot.Rendering.SoundFonts;

/// <summary>
/// One sample a note plays: its name, the key it was recorded at (the zone's overriding root key, else the
/// sample's), and whether its pitch follows the key (scale tuning not 0; a drum kit's hits usually do not).
/// </summary>
public readonly record struct SoundingSample(string Instrument, string Sample, int RootKey, bool FollowsKey);

/// <summary>A preset's name, bank and program, as its header in the SoundFont says.</summary>
public readonly record struct SoundFontPresetName(string Name, int Bank, int Program);

/// <summary>
/// Which samples a SoundFont 2 (or .sf3) file plays for a bank, program, key and velocity: its preset
/// and instrument zones read from the 'pdta' tables (phdr, pbag, pgen, inst, ibag, igen, shdr; SoundFont
/// 2.04 sections 7.2-7.10), the sample data left unread. A zone's key and velocity ranges come from its
/// own generators, else from its list's global zone (a first zone without an instrument or sample), else
/// the whole range, as section 9.4 lays down. Used to check that every preset a style plays exists and
/// covers the notes it is given.
/// </summary>
public sealed class SoundFontMap
{
    private const ushort KeyRange = 43, VelocityRange = 44, InstrumentGenerator = 41, SampleIdGenerator = 53, ScaleTuningGenerator = 56, OverridingRootKeyGenerator = 58;

    private readonly Dictionary<(int Bank, int Program), List<Zone>> _presets;
    private readonly List<(string Name, List<Zone> Zones)> _instruments;
    private readonly List<(string Name, int OriginalPitch)> _samples;

    private SoundFontMap(Dictionary<(int, int), List<Zone>> presets, List<(string, List<Zone>)> instruments, List<(string, int)> samples, IReadOnlyList<SoundFontPresetName> names)
    {
        _presets = presets;
        _instruments = instruments;
        _samples = samples;
        Presets = names;
    }

    /// <summary>Every preset in the file, in header order.</summary>
    public IReadOnlyList<SoundFontPresetName> Presets { get; }

    /// <summary>Reads the file's preset, instrument and sample tables; a <see cref="RenderException"/> when it is not a SoundFont.</summary>
    public static SoundFontMap Read(string path)
    {
        using var stream = File.OpenRead(path);
        var tables = ReadTables(stream, path);
        byte[] Table(string id) => tables.TryGetValue(id, out var table) ? table : throw new RenderException($"{Path.GetFileName(path)} has no '{id}' table; it is not a SoundFont 2 file.");

        var samples = Records(Table("shdr"), 46).SkipLast(1).Select(r => (Name(r), (int)r[40])).ToList();
        var instrumentZones = Zones(Table("inst"), 22, 20, Table("ibag"), Table("igen"), SampleIdGenerator);
        var instruments = Records(Table("inst"), 22).SkipLast(1).Select((r, i) => (Name(r), instrumentZones[i])).ToList();
        var presetZones = Zones(Table("phdr"), 38, 24, Table("pbag"), Table("pgen"), InstrumentGenerator);
        var presets = new Dictionary<(int, int), List<Zone>>();
        var names = new List<SoundFontPresetName>();
        foreach (var (record, index) in Records(Table("phdr"), 38).SkipLast(1).Select((r, i) => (r, i)))
        {
            var name = new SoundFontPresetName(Name(record), BinaryPrimitives.ReadUInt16LittleEndian(record.AsSpan(22)), BinaryPrimitives.ReadUInt16LittleEndian(record.AsSpan(20)));
            names.Add(name);
            presets.TryAdd((name.Bank, name.Program), presetZones[index]);
        }

        return new SoundFontMap(presets, instruments, samples, names);
    }

    /// <summary>Whether the file has a preset on this bank and program (drum kits are on bank 128).</summary>
    public bool HasPreset(int bank, int program) => _presets.ContainsKey((bank, program));

    /// <summary>The samples the preset plays for this key and velocity: none when the preset is missing or no zone covers them.</summary>
    public IReadOnlyList<SoundingSample> Sounding(int bank, int program, int key, int velocity)
    {
        if (!_presets.TryGetValue((bank, program), out var presetZones))
        {
            return [];
        }

        var sounding = new List<SoundingSample>();
        foreach (var presetZone in presetZones.Where(z => z.Covers(key, velocity) && z.Target < _instruments.Count))
        {
            var (instrument, zones) = _instruments[presetZone.Target];
            foreach (var zone in zones.Where(z => z.Covers(key, velocity) && z.Target < _samples.Count))
            {
                var (sample, pitch) = _samples[zone.Target];
                sounding.Add(new SoundingSample(instrument, sample, zone.RootKey ?? pitch, zone.FollowsKey));
            }
        }

        return sounding;
    }

    /// <summary>
    /// The lowest and highest key the preset's pitched samples were recorded at, for this velocity: a
    /// sampled instrument's range, which a note far outside can only reach by stretching a sample (an
    /// instrument whose samples all ignore the key, a drum kit, has none).
    /// </summary>
    public (int Low, int High)? SampledRange(int bank, int program, int velocity)
    {
        // Every instrument zone some key reaches through a preset zone at this velocity: their key ranges overlap.
        var roots = (_presets.TryGetValue((bank, program), out var presetZones) ? presetZones : [])
            .Where(p => p.HasVelocity(velocity) && p.Target < _instruments.Count)
            .SelectMany(p => _instruments[p.Target].Zones.Where(z => z.HasVelocity(velocity) && z.KeyLow <= p.KeyHigh && z.KeyHigh >= p.KeyLow))
            .Where(z => z.FollowsKey && z.Target < _samples.Count)
            .Select(z => z.RootKey ?? _samples[z.Target].OriginalPitch)
            .ToList();
        return roots.Count == 0 ? null : (roots.Min(), roots.Max());
    }

    private static Dictionary<string, byte[]> ReadTables(Stream stream, string path)
    {
        Span<byte> header = stackalloc byte[12];
        if (stream.ReadAtLeast(header, 12, throwOnEndOfStream: false) < 12 || !header[..4].SequenceEqual("RIFF"u8) || !header[8..].SequenceEqual("sfbk"u8))
        {
            throw new RenderException($"{Path.GetFileName(path)} is not a SoundFont (no RIFF 'sfbk' header).");
        }

        var tables = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        Span<byte> chunk = stackalloc byte[12];
        while (stream.ReadAtLeast(chunk[..8], 8, throwOnEndOfStream: false) == 8)
        {
            var id = Ascii.ASCII.GetString(chunk[..4]);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..8]);
            var next = stream.Position + size + (size & 1);
            if (id == "LIST")
            {
                stream.ReadExactly(chunk[8..12]);
                if (chunk[8..12].SequenceEqual("pdta"u8))
                {
                    ReadSubChunks(stream, next, tables);
                }
            }

            stream.Position = next;
        }

        return tables;
    }

    private static void ReadSubChunks(Stream stream, long end, Dictionary<string, byte[]> tables)
    {
        Span<byte> header = stackalloc byte[8];
        while (stream.Position + 8 <= end)
        {
            stream.ReadExactly(header);
            var id = Ascii.ASCII.GetString(header[..4]);
            var data = new byte[BinaryPrimitives.ReadUInt32LittleEndian(header[4..])];
            stream.ReadExactly(data);
            tables[id] = data;
            if ((data.Length & 1) == 1)
            {
                stream.Position++;
            }
        }
    }

    private static IEnumerable<byte[]> Records(byte[] table, int size) =>
        Enumerable.Range(0, table.Length / size).Select(i => table.AsSpan(i * size, size).ToArray());

    private static string Name(byte[] record) => Ascii.ASCII.GetString(record, 0, 20).Split('\0')[0].TrimEnd();

    /// <summary>
    /// The zones of each header (preset or instrument) in order: each header's bags run from its bag index to
    /// the next header's (the bag index sits at <paramref name="bagOffset"/> in a header), each bag's generators from its generator index to the next bag's. A first zone
    /// without the terminal generator is the global zone; its ranges and root key are the others' defaults.
    /// </summary>
    private static List<List<Zone>> Zones(byte[] headers, int headerSize, int bagOffset, byte[] bags, byte[] generators, ushort terminal)
    {
        var bagIndex = Records(headers, headerSize).Select(r => (int)BinaryPrimitives.ReadUInt16LittleEndian(r.AsSpan(bagOffset))).ToArray();
        var generatorIndex = Enumerable.Range(0, bags.Length / 4).Select(i => (int)BinaryPrimitives.ReadUInt16LittleEndian(bags.AsSpan(i * 4))).ToArray();
        var all = new List<List<Zone>>();
        for (var h = 0; h + 1 < bagIndex.Length; h++)
        {
            var zones = new List<Zone>();
            var global = Zone.Whole;
            for (var b = bagIndex[h]; b < bagIndex[h + 1] && b + 1 < generatorIndex.Length; b++)
            {
                var zone = global with { Target = -1 };
                for (var g = generatorIndex[b]; g < generatorIndex[b + 1] && (g * 4) + 4 <= generators.Length; g++)
                {
                    var operation = BinaryPrimitives.ReadUInt16LittleEndian(generators.AsSpan(g * 4));
                    var low = generators[(g * 4) + 2];
                    var high = generators[(g * 4) + 3];
                    var amount = BinaryPrimitives.ReadInt16LittleEndian(generators.AsSpan((g * 4) + 2));
                    zone = operation switch
                    {
                        KeyRange => zone with { KeyLow = low, KeyHigh = high },
                        VelocityRange => zone with { VelocityLow = low, VelocityHigh = high },
                        OverridingRootKeyGenerator when amount is >= 0 and <= 127 => zone with { RootKey = amount },
                        ScaleTuningGenerator => zone with { FollowsKey = amount != 0 },
                        _ when operation == terminal => zone with { Target = (ushort)amount },
                        _ => zone,
                    };
                }

                if (zone.Target >= 0)
                {
                    zones.Add(zone);
                }
                else if (b == bagIndex[h])
                {
                    global = zone;
                }
            }

            all.Add(zones);
        }

        return all;
    }

    private readonly record struct Zone(int KeyLow, int KeyHigh, int VelocityLow, int VelocityHigh, int? RootKey, bool FollowsKey, int Target)
    {
        public static Zone Whole => new(0, 127, 0, 127, null, true, -1);

        public bool Covers(int key, int velocity) => key >= KeyLow && key <= KeyHigh && HasVelocity(velocity);

        public bool HasVelocity(int velocity) => velocity >= VelocityLow && velocity <= VelocityHigh;
    }
}
