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
