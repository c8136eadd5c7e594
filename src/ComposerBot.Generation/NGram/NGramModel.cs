using ComposerBot.Music;
using ComposerBot.Music.LeadSheets;

namespace ComposerBot.Generation.NGram;

/// <summary>
/// The baseline composer's model: a variable-order Markov model (Witten-Bell smoothed, up to
/// <see cref="Order"/> previous notes) over melody events, conditioned on mode, meter and the position in
/// the bar; and a second one over chords relative to the tonic, conditioned on mode, meter, the slot in
/// the bar and whether the slot is the last.
/// </summary>
public sealed class NGramModel
{
    public const int Order = 4;
    private const int ChordOrder = 3;
    private const int ChordVocabulary = 12 * 8;

    private const uint FileMagic = 0x4D474E43; // "CNGM"
    private const int FileVersion = 1;

    private WittenBellTable _melody = new(MelodyEvent.VocabularySize);
    private WittenBellTable _chords = new(ChordVocabulary);
    private readonly HashSet<int> _observedMelody = [];
    private readonly HashSet<int> _observedChords = [];


    private NGramModel()
    {
    }

    public int TrainingPieces { get; private set; }

    public int TrainingNotes { get; private set; }

    /// <summary>The melody symbols seen in training, in order: the only ones the composer samples.</summary>
    internal int[] ObservedMelodySymbols
    {
        get;
        private set
        {
            field = value;
            _melodyIndex = IndexOf(value, MelodyEvent.VocabularySize);
        }
    } = [];

    internal int[] ObservedChordSymbols
    {
        get;
        private set
        {
            field = value;
            _chordIndex = IndexOf(value, ChordVocabulary);
        }
    } = [];

    private int[] _melodyIndex = [];
    private int[] _chordIndex = [];

    private static int[] IndexOf(int[] symbols, int vocabulary)
    {
        var index = Enumerable.Repeat(-1, vocabulary).ToArray();
        for (var i = 0; i < symbols.Length; i++)
        {
            index[symbols[i]] = i;
        }

        return index;
    }

    public static NGramModel Train(IEnumerable<LeadSheet> sheets)
    {
        var model = new NGramModel();
        foreach (var sheet in sheets)
        {
            var events = Events(sheet);
            for (var i = 0; i < events.Count; i++)
            {
                model._melody.Add(MelodyContexts(sheet.Key.Mode, sheet.Meter, events[i].Position, events, i), events[i].Event.Symbol);
                model._observedMelody.Add(events[i].Event.Symbol);
            }

            var chords = ChordSymbols(sheet);
            for (var i = 0; i < chords.Count; i++)
            {
                model._chords.Add(ChordContexts(sheet, chords, i), chords[i]);
                model._observedChords.Add(chords[i]);
            }

            model.TrainingPieces++;
            model.TrainingNotes += events.Count;
        }

        model._melody.Freeze();
        model._chords.Freeze();
        model.ObservedMelodySymbols = [.. model._observedMelody.Order()];
        model.ObservedChordSymbols = [.. model._observedChords.Order()];
        return model;
    }

    /// <summary>Saves the counts (gzip'd binary); the same training data always gives the same bytes.</summary>
    public void Save(Stream stream)
    {
        using var gzip = new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true);
        using var writer = new BinaryWriter(gzip);
        writer.Write(FileMagic);
        writer.Write(FileVersion);
        writer.Write(TrainingPieces);
        writer.Write(TrainingNotes);
        _melody.Write(writer);
        _chords.Write(writer);
        WriteSymbols(writer, ObservedMelodySymbols);
        WriteSymbols(writer, ObservedChordSymbols);
    }

    public static NGramModel Load(Stream stream)
    {
        using var gzip = new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Decompress, leaveOpen: true);
        using var reader = new BinaryReader(gzip);
        if (reader.ReadUInt32() != FileMagic || reader.ReadInt32() != FileVersion)
        {
            throw new InvalidDataException("not a ComposerBot n-gram model (or an older version).");
        }

        var model = new NGramModel { TrainingPieces = reader.ReadInt32(), TrainingNotes = reader.ReadInt32() };
        model._melody = WittenBellTable.Read(reader);
        model._chords = WittenBellTable.Read(reader);
        model.ObservedMelodySymbols = ReadSymbols(reader);
        model.ObservedChordSymbols = ReadSymbols(reader);
        return model;
    }

    private static void WriteSymbols(BinaryWriter writer, int[] symbols)
    {
        writer.Write(symbols.Length);
        foreach (var s in symbols)
        {
            writer.Write7BitEncodedInt(s);
        }
    }

    private static int[] ReadSymbols(BinaryReader reader) => [.. Enumerable.Range(0, reader.ReadInt32()).Select(_ => reader.Read7BitEncodedInt())];

    /// <summary>The mean negative log-likelihood (nats) per melody note of a lead sheet.</summary>
    public (double TotalNats, int Notes) MelodyNll(LeadSheet sheet)
    {
        var events = Events(sheet);
        double nats = 0;
        for (var i = 0; i < events.Count; i++)
        {
            nats -= Math.Log(_melody.Probability(MelodyContexts(sheet.Key.Mode, sheet.Meter, events[i].Position, events, i), events[i].Event.Symbol));
        }

        return (nats, events.Count);
    }

    /// <summary>Probabilities of <see cref="ObservedMelodySymbols"/> for the next note.</summary>
    internal double[] MelodyDistribution(KeyMode mode, MeterChange meter, long position, IReadOnlyList<(MelodyEvent Event, long Position)> history) =>
        _melody.Distribution(MelodyContexts(mode, meter, position, history, history.Count), ObservedMelodySymbols, _melodyIndex);

    /// <summary>Probabilities of <see cref="ObservedChordSymbols"/> for the next chord slot.</summary>
    internal double[] ChordDistribution(LeadSheet partial, IReadOnlyList<int> previous, int slot, int slots) =>
        _chords.Distribution(ChordContexts(partial.Key.Mode, partial.Meter, slot, slots, previous, previous.Count), ObservedChordSymbols, _chordIndex);

    /// <summary>The melody as events with legato lengths (each note lasts until the next onset).</summary>
    internal static List<(MelodyEvent Event, long Position)> Events(LeadSheet sheet)
    {
        var notes = sheet.Melody;
        var events = new List<(MelodyEvent, long)>(notes.Count);
        for (var i = 0; i < notes.Count; i++)
        {
            var length = i + 1 < notes.Count ? notes[i + 1].Start - notes[i].Start : notes[i].Duration;
            events.Add((MelodyEvent.Clamped(notes[i].Pitch - 60 - sheet.Key.Tonic, length), notes[i].Start % sheet.TicksPerBar));
        }

        return events;
    }

    internal static int ChordSymbol(Chord chord, int tonic) => ((((chord.Root - tonic) % 12) + 12) % 12 * 8) + (int)chord.Quality;

    internal static Chord ChordFromSymbol(int symbol, int tonic) => new((symbol / 8 + tonic) % 12, (ChordQuality)(symbol % 8));

    private static List<int> ChordSymbols(LeadSheet sheet) => [.. sheet.Chords.Select(c => ChordSymbol(c.Chord, sheet.Key.Tonic))];

    private static ulong[] MelodyContexts(KeyMode mode, MeterChange meter, long position, IReadOnlyList<(MelodyEvent Event, long Position)> events, int index)
    {
        // Lowest order first: the mode alone, then mode + meter + position, then 1..Order previous notes.
        var contexts = new List<ulong> { ContextHash.Of([1, (int)mode]) };
        Span<int> key = stackalloc int[5 + Order];
        key[0] = 2;
        key[1] = (int)mode;
        key[2] = meter.Numerator;
        key[3] = meter.Denominator;
        key[4] = (int)position;
        contexts.Add(ContextHash.Of(key[..5]));
        for (var k = 1; k <= Order && index - k >= 0; k++)
        {
            key[4 + k] = events[index - k].Event.Symbol;
            contexts.Add(ContextHash.Of(key[..(5 + k)]));
        }

        return [.. contexts];
    }

    private static ulong[] ChordContexts(LeadSheet sheet, List<int> chords, int index) =>
        ChordContexts(sheet.Key.Mode, sheet.Meter, index, chords.Count, chords, index);

    private static ulong[] ChordContexts(KeyMode mode, MeterChange meter, int slot, int slots, IReadOnlyList<int> chords, int index)
    {
        var slotsPerBar = (int)(meter.TicksPerBar(LeadSheet.Resolution) / LeadSheet.ChordSlotTicks(meter));
        var contexts = new List<ulong> { ContextHash.Of([3, (int)mode]) };
        Span<int> key = stackalloc int[6 + ChordOrder];
        key[0] = 4;
        key[1] = (int)mode;
        key[2] = meter.Numerator;
        key[3] = slot % slotsPerBar;
        key[4] = slot == 0 ? 0 : slot == slots - 1 ? 2 : 1;
        contexts.Add(ContextHash.Of(key[..5]));
        for (var k = 1; k <= ChordOrder && index - k >= 0; k++)
        {
            key[4 + k] = chords[index - k];
            contexts.Add(ContextHash.Of(key[..(5 + k)]));
        }

        return [.. contexts];
    }
}
