namespace ComposerBot.Generation.NGram;

/// <summary>
/// Counts of symbols after contexts of orders 0..N, smoothed by Witten-Bell interpolation: each order
/// mixes its own counts with the next lower order's distribution in proportion to how many different
/// symbols it has seen after that context. The lowest order backs off to add-one over the vocabulary.
/// </summary>
internal sealed class WittenBellTable(int vocabulary)
{
    private readonly Dictionary<ulong, Dictionary<int, int>> _counts = [];
    private readonly Dictionary<int, int> _unigram = [];
    private int _total;

    public int Vocabulary => vocabulary;

    public void Write(BinaryWriter writer)
    {
        writer.Write(vocabulary);
        writer.Write(_total);
        WriteCounts(writer, _unigram);
        writer.Write(_counts.Count);
        foreach (var (context, next) in _counts.OrderBy(c => c.Key))
        {
            writer.Write(context);
            WriteCounts(writer, next);
        }
    }

    public static WittenBellTable Read(BinaryReader reader)
    {
        var table = new WittenBellTable(reader.ReadInt32()) { _total = reader.ReadInt32() };
        foreach (var (symbol, count) in ReadCounts(reader))
        {
            table._unigram[symbol] = count;
        }

        for (int i = 0, contexts = reader.ReadInt32(); i < contexts; i++)
        {
            var context = reader.ReadUInt64();
            table._counts[context] = ReadCounts(reader).ToDictionary(x => x.Symbol, x => x.Count);
        }

        return table;
    }

    private static void WriteCounts(BinaryWriter writer, Dictionary<int, int> counts)
    {
        writer.Write7BitEncodedInt(counts.Count);
        foreach (var (symbol, count) in counts.OrderBy(c => c.Key))
        {
            writer.Write7BitEncodedInt(symbol);
            writer.Write7BitEncodedInt(count);
        }
    }

    private static List<(int Symbol, int Count)> ReadCounts(BinaryReader reader) =>
        [.. Enumerable.Range(0, reader.Read7BitEncodedInt()).Select(_ => (reader.Read7BitEncodedInt(), reader.Read7BitEncodedInt()))];

    /// <summary>Counts one symbol after each of its contexts (lowest order first).</summary>
    public void Add(IReadOnlyList<ulong> contexts, int symbol)
    {
        foreach (var context in contexts)
        {
            if (!_counts.TryGetValue(context, out var next))
            {
                next = [];
                _counts[context] = next;
            }

            next[symbol] = next.GetValueOrDefault(symbol) + 1;
        }

        _unigram[symbol] = _unigram.GetValueOrDefault(symbol) + 1;
        _total++;
    }

    /// <summary>The smoothed probability of one symbol after the contexts (lowest order first).</summary>
    public double Probability(IReadOnlyList<ulong> contexts, int symbol)
    {
        var p = (_unigram.GetValueOrDefault(symbol) + 1.0) / (_total + vocabulary);
        foreach (var context in contexts)
        {
            if (_counts.TryGetValue(context, out var next))
            {
                var count = next.Values.Sum();
                p = (next.GetValueOrDefault(symbol) + (next.Count * p)) / (count + next.Count);
            }
        }

        return p;
    }

    /// <summary>The smoothed probabilities of the given symbols after the contexts (lowest order first).</summary>
    public double[] Distribution(IReadOnlyList<ulong> contexts, int[] symbols)
    {
        var p = new double[symbols.Length];
        for (var i = 0; i < symbols.Length; i++)
        {
            p[i] = (_unigram.GetValueOrDefault(symbols[i]) + 1.0) / (_total + vocabulary);
        }

        foreach (var context in contexts)
        {
            if (!_counts.TryGetValue(context, out var next))
            {
                continue;
            }

            double count = next.Values.Sum();
            var types = next.Count;
            for (var i = 0; i < symbols.Length; i++)
            {
                p[i] = (next.GetValueOrDefault(symbols[i]) + (types * p[i])) / (count + types);
            }
        }

        return p;
    }
}
