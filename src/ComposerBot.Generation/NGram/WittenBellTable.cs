namespace ComposerBot.Generation.NGram;

/// <summary>
/// Counts of symbols after contexts of orders 0..N, smoothed by Witten-Bell interpolation: each order
/// mixes its own counts with the next lower order's distribution in proportion to how many different
/// symbols it has seen after that context. The lowest order backs off to add-one over the vocabulary.
/// Counting uses dictionaries; <see cref="Freeze"/> turns them into sorted arrays, which take a fraction
/// of the memory and are what lookups read.
/// </summary>
internal sealed class WittenBellTable(int vocabulary)
{
    private Dictionary<ulong, Dictionary<int, int>>? _building = [];
    private Dictionary<ulong, Entry> _frozen = [];
    private int[] _unigram = new int[vocabulary];
    private int _total;

    public int Vocabulary => vocabulary;

    /// <summary>Counts one symbol after each of its contexts (lowest order first).</summary>
    public void Add(IReadOnlyList<ulong> contexts, int symbol)
    {
        var building = _building ?? throw new InvalidOperationException("the table is frozen.");
        foreach (var context in contexts)
        {
            if (!building.TryGetValue(context, out var next))
            {
                next = [];
                building[context] = next;
            }

            next[symbol] = next.GetValueOrDefault(symbol) + 1;
        }

        _unigram[symbol]++;
        _total++;
    }

    /// <summary>Ends counting: the counts become compact sorted arrays.</summary>
    public void Freeze()
    {
        if (_building is null)
        {
            return;
        }

        _frozen = _building.ToDictionary(c => c.Key, c => Entry.From(c.Value));
        _building = null;
    }

    /// <summary>The smoothed probability of one symbol after the contexts (lowest order first).</summary>
    public double Probability(IReadOnlyList<ulong> contexts, int symbol)
    {
        var p = (_unigram[symbol] + 1.0) / (_total + vocabulary);
        foreach (var context in contexts)
        {
            if (_frozen.TryGetValue(context, out var entry))
            {
                var i = Array.BinarySearch(entry.Symbols, symbol);
                var count = i >= 0 ? entry.Counts[i] : 0;
                p = (count + (entry.Symbols.Length * p)) / (entry.Total + entry.Symbols.Length);
            }
        }

        return p;
    }

    /// <summary>
    /// The smoothed probabilities of the given symbols after the contexts (lowest order first);
    /// <paramref name="indexOf"/> maps a symbol to its place among them, or -1.
    /// </summary>
    public double[] Distribution(IReadOnlyList<ulong> contexts, int[] symbols, int[] indexOf)
    {
        var p = new double[symbols.Length];
        for (var i = 0; i < symbols.Length; i++)
        {
            p[i] = (_unigram[symbols[i]] + 1.0) / (_total + vocabulary);
        }

        foreach (var context in contexts)
        {
            if (!_frozen.TryGetValue(context, out var entry))
            {
                continue;
            }

            // p = (count + T p) / (C + T): scale everything by T / (C + T), then add each seen count.
            double types = entry.Symbols.Length;
            var denominator = entry.Total + types;
            var scale = types / denominator;
            for (var i = 0; i < p.Length; i++)
            {
                p[i] *= scale;
            }

            for (var k = 0; k < entry.Symbols.Length; k++)
            {
                var i = indexOf[entry.Symbols[k]];
                if (i >= 0)
                {
                    p[i] += entry.Counts[k] / denominator;
                }
            }
        }

        return p;
    }

    public void Write(BinaryWriter writer)
    {
        Freeze();
        writer.Write(vocabulary);
        writer.Write(_total);
        var seen = Enumerable.Range(0, vocabulary).Where(s => _unigram[s] > 0).ToList();
        writer.Write7BitEncodedInt(seen.Count);
        foreach (var s in seen)
        {
            writer.Write7BitEncodedInt(s);
            writer.Write7BitEncodedInt(_unigram[s]);
        }

        writer.Write(_frozen.Count);
        foreach (var (context, entry) in _frozen.OrderBy(c => c.Key))
        {
            writer.Write(context);
            writer.Write7BitEncodedInt(entry.Symbols.Length);
            for (var k = 0; k < entry.Symbols.Length; k++)
            {
                writer.Write7BitEncodedInt(entry.Symbols[k]);
                writer.Write7BitEncodedInt(entry.Counts[k]);
            }
        }
    }

    public static WittenBellTable Read(BinaryReader reader)
    {
        var table = new WittenBellTable(reader.ReadInt32()) { _total = reader.ReadInt32(), _building = null };
        table._unigram = new int[table.Vocabulary];
        for (int i = 0, n = reader.Read7BitEncodedInt(); i < n; i++)
        {
            table._unigram[reader.Read7BitEncodedInt()] = reader.Read7BitEncodedInt();
        }

        var contexts = reader.ReadInt32();
        table._frozen = new Dictionary<ulong, Entry>(contexts);
        for (var c = 0; c < contexts; c++)
        {
            var context = reader.ReadUInt64();
            var size = reader.Read7BitEncodedInt();
            var entry = new Entry(new int[size], new int[size]);
            for (var k = 0; k < size; k++)
            {
                entry.Symbols[k] = reader.Read7BitEncodedInt();
                entry.Counts[k] = reader.Read7BitEncodedInt();
            }

            entry.Total = entry.Counts.Sum();
            table._frozen[context] = entry;
        }

        return table;
    }

    /// <summary>The symbols seen after one context, sorted, with their counts and total.</summary>
    private sealed class Entry(int[] symbols, int[] counts)
    {
        public int[] Symbols { get; } = symbols;

        public int[] Counts { get; } = counts;

        public int Total { get; set; }

        public static Entry From(Dictionary<int, int> counts)
        {
            var ordered = counts.OrderBy(c => c.Key).ToList();
            return new Entry([.. ordered.Select(c => c.Key)], [.. ordered.Select(c => c.Value)]) { Total = ordered.Sum(c => c.Value) };
        }
    }
}
