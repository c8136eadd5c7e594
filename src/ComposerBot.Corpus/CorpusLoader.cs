using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using ComposerBot.Music.LeadSheets;
using ComposerBot.Music.Midi;

namespace ComposerBot.Corpus;

/// <summary>
/// Loads a corpus folder: manifest.json names the datasets (folders of MIDI files, or zip archives of
/// them) and their metadata tables; every piece is read and its lead sheet extracted. Extraction is cached
/// on disk, keyed by the manifest, the metadata and the files' sizes, so a second load is fast.
/// </summary>
public static class CorpusLoader
{
    /// <summary>Bump when extraction changes, so old caches are not used.</summary>
    public const int ExtractorVersion = 1;

    public static Corpus Load(string root, string? cacheDirectory = null, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        var manifestPath = Path.Combine(root, "manifest.json");
        if (!File.Exists(manifestPath))
        {
            throw new CorpusException($"no corpus at {root}: manifest.json not found (pass --corpus with the corpus folder).");
        }

        var datasets = ReadManifest(manifestPath);
        var rows = datasets.SelectMany(d => ReadMetadata(root, d)).ToList();
        var fingerprint = CacheKey(root, manifestPath, datasets, rows);
        var cachePath = cacheDirectory is null ? null : Path.Combine(cacheDirectory, $"corpus-{fingerprint}.bin.gz");
        if (cachePath is not null && File.Exists(cachePath))
        {
            try
            {
                var (pieces, skipped) = LeadSheetCache.Read(cachePath);
                progress?.Report((rows.Count, rows.Count));
                return new Corpus(root, fingerprint, datasets, pieces, skipped);
            }
            catch (InvalidDataException)
            {
                // A cache from another version or a torn write: rebuild it below.
            }
        }

        var results = new CorpusPiece?[rows.Count];
        var errors = new string?[rows.Count];
        var done = 0;
        using var archives = new ArchiveSet(root, datasets);
        var bytes = rows.Select(r => archives.Read(r.Dataset, r.File)).ToList();
        Parallel.For(0, rows.Count, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var row = rows[i];
            try
            {
                var sheet = bytes[i] is { } data ? LeadSheetExtractor.Extract(MidiFileReader.Read(data), row.Hints) : null;
                results[i] = sheet is null ? null : new CorpusPiece(row.Dataset.Name, row.File, row.Split, row.Title, row.Type, sheet);
                errors[i] = sheet is null ? $"{row.File}: {(bytes[i] is null ? "file not found" : "no melody")}" : null;
            }
            catch (MidiFormatException ex)
            {
                errors[i] = $"{row.File}: {ex.Message}";
            }

            progress?.Report((Interlocked.Increment(ref done), rows.Count));
        });

        var corpus = new Corpus(root, fingerprint, datasets, [.. results.OfType<CorpusPiece>()], [.. errors.OfType<string>()]);
        if (cachePath is not null)
        {
            LeadSheetCache.Write(cachePath, corpus.Pieces, corpus.Skipped);
        }

        return corpus;
    }

    private static List<DatasetInfo> ReadManifest(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            return [.. document.RootElement.GetProperty("datasets").EnumerateArray().Select(d => new DatasetInfo(
                d.GetProperty("name").GetString()!,
                d.GetProperty("path").GetString()!,
                d.TryGetProperty("licence", out var licence) ? licence.GetString() ?? "" : "",
                d.TryGetProperty("source", out var source) ? source.GetString() ?? "" : "",
                d.GetProperty("metadata").GetString()!))];
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new CorpusException($"{path} is not a valid corpus manifest ({ex.Message.TrimEnd('.')}).", ex);
        }
    }

    private static IEnumerable<MetadataRow> ReadMetadata(string root, DatasetInfo dataset)
    {
        var path = Path.Combine(root, dataset.Metadata);
        if (!File.Exists(path))
        {
            throw new CorpusException($"metadata table {path} of dataset {dataset.Name} not found.");
        }

        var lines = File.ReadAllLines(path);
        var header = CorpusMetadata.SplitCsvLine(lines[0]);
        int Column(string name) => header.IndexOf(name) is var i and >= 0 ? i : throw new CorpusException($"{path} has no '{name}' column.");
        int file = Column("file"), split = Column("split"), title = Column("title"), type = Column("type"), meter = Column("meter"), key = Column("key"), tracks = Column("tracks");
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var f = CorpusMetadata.SplitCsvLine(line);
            yield return new MetadataRow(
                dataset,
                f[file],
                Enum.Parse<Split>(f[split], ignoreCase: true),
                f[title],
                f[type],
                CorpusMetadata.Hints(f[key], f[meter], f[tracks]));
        }
    }

    private static string CacheKey(string root, string manifestPath, IEnumerable<DatasetInfo> datasets, IEnumerable<MetadataRow> rows)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(BitConverter.GetBytes(ExtractorVersion));
        hash.AppendData(File.ReadAllBytes(manifestPath));
        foreach (var dataset in datasets)
        {
            hash.AppendData(File.ReadAllBytes(Path.Combine(root, dataset.Metadata)));
        }

        foreach (var row in rows)
        {
            var path = Path.Combine(root, row.File);
            hash.AppendData(BitConverter.GetBytes(File.Exists(path) ? new FileInfo(path).Length : -1));
        }

        return Convert.ToHexString(hash.GetHashAndReset())[..16].ToLowerInvariant();
    }

    private sealed record MetadataRow(DatasetInfo Dataset, string File, Split Split, string Title, string Type, PieceHints Hints);

    /// <summary>Reads pieces from dataset folders, or from zip archives standing in for them.</summary>
    private sealed class ArchiveSet(string root, IEnumerable<DatasetInfo> datasets) : IDisposable
    {
        private readonly Dictionary<string, ZipArchive> _zips = datasets
            .Select(d => (d.Name, Zip: Path.Combine(root, d.Path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ? d.Path : d.Path + ".zip")))
            .Where(x => File.Exists(x.Zip))
            .ToDictionary(x => x.Name, x => ZipFile.OpenRead(x.Zip));

        public byte[]? Read(DatasetInfo dataset, string file)
        {
            var path = Path.Combine(root, file);
            if (File.Exists(path))
            {
                return File.ReadAllBytes(path);
            }

            if (!_zips.TryGetValue(dataset.Name, out var zip))
            {
                return null;
            }

            // Entries are named like the metadata's file column, with or without the dataset folder.
            var inside = file.StartsWith(dataset.Path.TrimEnd('/') + "/", StringComparison.Ordinal) ? file[(dataset.Path.TrimEnd('/').Length + 1)..] : file;
            var entry = zip.GetEntry(file) ?? zip.GetEntry(inside);
            if (entry is null)
            {
                return null;
            }

            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }

        public void Dispose()
        {
            foreach (var zip in _zips.Values)
            {
                zip.Dispose();
            }
        }
    }
}
