using System.IO.Compression;
using System.Text;

namespace ComposerBot.Music.Metrics;

/// <summary>
/// An index of the training melodies for originality checks (evaluation.md section D). It keeps every
/// piece's symbol sequence, exact sets of all 1- to 6-grams, an inverted index of 6-gram positions for
/// extending longer matches, and hashes of all 8-grams. Only the sequences are saved; the lookups are
/// rebuilt on load.
/// </summary>
public sealed class OriginalityIndex
{
    private const int SeedLength = 6;
    private const int NoveltyGram = 8;
    private const uint FileMagic = 0x4942434F; // "OCBI"
    private const int FileVersion = 1;

    private readonly ushort[] _symbols;
    private readonly int[] _pieceStarts;
    private readonly string[] _pieceNames;
    private readonly HashSet<ulong>[] _grams = [.. Enumerable.Range(0, SeedLength).Select(_ => new HashSet<ulong>())];
    private readonly HashSet<ulong> _eightGrams = [];

    // Every 6-gram of the corpus with its position, sorted by the 6-gram: a compact inverted index.
    private readonly ulong[] _seedKeys;
    private readonly int[] _seedPositions;

    private OriginalityIndex(ushort[] symbols, int[] pieceStarts, string[] pieceNames)
    {
        _symbols = symbols;
        _pieceStarts = pieceStarts;
        _pieceNames = pieceNames;
        var seeds = new List<(ulong Key, int Position)>(symbols.Length);
        for (var p = 0; p < pieceNames.Length; p++)
        {
            var start = pieceStarts[p];
            var end = pieceStarts[p + 1];
            for (var i = start; i < end; i++)
            {
                ulong packed = 0;
                for (var k = 1; k <= SeedLength && i + k <= end; k++)
                {
                    packed = (packed << MelodySymbols.Bits) | symbols[i + k - 1];
                    if (k < SeedLength)
                    {
                        _grams[k].Add(packed | ((ulong)k << 60));
                    }
                    else
                    {
                        seeds.Add((packed, i));
                    }
                }

                if (i + NoveltyGram <= end)
                {
                    _eightGrams.Add(Hash(symbols.AsSpan(i, NoveltyGram)));
                }
            }
        }

        seeds.Sort();
        _seedKeys = [.. seeds.Select(s => s.Key)];
        _seedPositions = [.. seeds.Select(s => s.Position)];
    }

    public int Pieces => _pieceNames.Length;

    public int SymbolCount => _symbols.Length;

    /// <summary>Builds the index from named melodies' symbol sequences.</summary>
    public static OriginalityIndex Build(IEnumerable<(string Name, ushort[] Symbols)> pieces)
    {
        var names = new List<string>();
        var starts = new List<int> { 0 };
        var symbols = new List<ushort>();
        foreach (var (name, sequence) in pieces)
        {
            names.Add(name);
            symbols.AddRange(sequence);
            starts.Add(symbols.Count);
        }

        return new OriginalityIndex([.. symbols], [.. starts], [.. names]);
    }

    /// <summary>Checks a melody's symbols against the index.</summary>
    public OriginalityReport Check(ReadOnlySpan<ushort> query)
    {
        var (longest, piece) = LongestSharedRun(query);
        var grams = query.Length - NoveltyGram + 1;
        var novel = 0;
        for (var i = 0; i < grams; i++)
        {
            novel += _eightGrams.Contains(Hash(query.Slice(i, NoveltyGram))) ? 0 : 1;
        }

        return new OriginalityReport(longest, piece < 0 ? null : _pieceNames[piece], grams <= 0 ? 1 : (double)novel / grams);
    }

    private (int Length, int Piece) LongestSharedRun(ReadOnlySpan<ushort> query)
    {
        // Runs of at least 6: extend every 6-gram hit as far as both sequences agree.
        var best = 0;
        var bestPiece = -1;
        for (var i = 0; i + SeedLength <= query.Length; i++)
        {
            ulong packed = 0;
            for (var k = 0; k < SeedLength; k++)
            {
                packed = (packed << MelodySymbols.Bits) | query[i + k];
            }

            var first = LowerBound(packed);
            for (var hit = first; hit < _seedKeys.Length && _seedKeys[hit] == packed; hit++)
            {
                var position = _seedPositions[hit];
                // Only maximal runs: skip hits whose previous symbols also agree (counted from earlier).
                var piece = PieceOf(position);
                if (i > 0 && position > _pieceStarts[piece] && _symbols[position - 1] == query[i - 1])
                {
                    continue;
                }

                var end = _pieceStarts[piece + 1];
                var length = SeedLength;
                while (i + length < query.Length && position + length < end && _symbols[position + length] == query[i + length])
                {
                    length++;
                }

                if (length > best)
                {
                    best = length;
                    bestPiece = piece;
                }
            }
        }

        if (best > 0)
        {
            return (best, bestPiece);
        }

        // Shorter runs: the longest k-gram of the query that the corpus has at all.
        for (var k = Math.Min(SeedLength - 1, query.Length); k >= 1; k--)
        {
            for (var i = 0; i + k <= query.Length; i++)
            {
                ulong packed = 0;
                for (var j = 0; j < k; j++)
                {
                    packed = (packed << MelodySymbols.Bits) | query[i + j];
                }

                if (_grams[k].Contains(packed | ((ulong)k << 60)))
                {
                    return (k, -1);
                }
            }
        }

        return (0, -1);
    }

    private int LowerBound(ulong key)
    {
        int lo = 0, hi = _seedKeys.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_seedKeys[mid] < key)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private int PieceOf(int position)
    {
        var i = Array.BinarySearch(_pieceStarts, position);
        return i >= 0 ? Math.Min(i, _pieceNames.Length - 1) : ~i - 1;
    }

    private static ulong Hash(ReadOnlySpan<ushort> gram)
    {
        // FNV-1a over the symbols: 64 bits make collisions among a million 8-grams negligible.
        var hash = 14695981039346656037UL;
        foreach (var s in gram)
        {
            hash = (hash ^ s) * 1099511628211UL;
            hash = (hash ^ (ulong)(s >> 8)) * 1099511628211UL;
        }

        return hash;
    }

    public void Save(Stream stream)
    {
        using var gzip = new GZipStream(stream, CompressionLevel.Optimal, leaveOpen: true);
        using var writer = new BinaryWriter(gzip, Encoding.UTF8);
        writer.Write(FileMagic);
        writer.Write(FileVersion);
        writer.Write(_pieceNames.Length);
        for (var p = 0; p < _pieceNames.Length; p++)
        {
            writer.Write(_pieceNames[p]);
            writer.Write(_pieceStarts[p + 1] - _pieceStarts[p]);
        }

        foreach (var s in _symbols)
        {
            writer.Write(s);
        }
    }

    public static OriginalityIndex Load(Stream stream)
    {
        using var gzip = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
        using var reader = new BinaryReader(gzip, Encoding.UTF8);
        if (reader.ReadUInt32() != FileMagic || reader.ReadInt32() != FileVersion)
        {
            throw new InvalidDataException("not a ComposerBot originality index (or an older version).");
        }

        var count = reader.ReadInt32();
        var names = new string[count];
        var starts = new int[count + 1];
        for (var p = 0; p < count; p++)
        {
            names[p] = reader.ReadString();
            starts[p + 1] = starts[p] + reader.ReadInt32();
        }

        var symbols = new ushort[starts[count]];
        for (var i = 0; i < symbols.Length; i++)
        {
            symbols[i] = reader.ReadUInt16();
        }

        return new OriginalityIndex(symbols, starts, names);
    }
}
