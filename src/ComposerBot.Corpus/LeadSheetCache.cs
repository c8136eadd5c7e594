using System.IO.Compression;
using System.Text;
using ComposerBot.Music;
using ComposerBot.Music.IO;
using ComposerBot.Music.LeadSheets;

namespace ComposerBot.Corpus;

/// <summary>The extracted corpus in a compact gzip'd binary file, written atomically.</summary>
internal static class LeadSheetCache
{
    private const uint Magic = 0x4C43424F; // "OBCL"
    private const int Version = CorpusLoader.ExtractorVersion;

    public static void Write(string path, IReadOnlyList<CorpusPiece> pieces, IReadOnlyList<string> skipped)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.Write(path, file =>
        {
            using var gzip = new GZipStream(file, CompressionLevel.Fastest);
            using var w = new BinaryWriter(gzip, Encoding.UTF8);
            w.Write(Magic);
            w.Write(Version);
            w.Write(skipped.Count);
            foreach (var s in skipped)
            {
                w.Write(s);
            }

            w.Write(pieces.Count);
            foreach (var p in pieces)
            {
                WritePiece(w, p);
            }
        });
    }

    private static void WritePiece(BinaryWriter w, CorpusPiece p)
    {
        w.Write(p.Dataset);
        w.Write(p.File);
        w.Write((byte)p.Split);
        w.Write(p.Title);
        w.Write(p.Type);
        var s = p.LeadSheet;
        w.Write(s.Meter.Numerator);
        w.Write(s.Meter.Denominator);
        w.Write((sbyte)s.Key.Sharps);
        w.Write((byte)s.Key.Mode);
        w.Write(s.Bpm);
        w.Write(s.Bars);
        w.Write(s.Melody.Count);
        foreach (var n in s.Melody)
        {
            w.Write((byte)n.Pitch);
            w.Write(n.Start);
            w.Write(n.Duration);
            w.Write((byte)n.Velocity);
        }

        w.Write(s.Chords.Count);
        foreach (var c in s.Chords)
        {
            w.Write(c.Start);
            w.Write(c.Duration);
            w.Write((byte)c.Chord.Root);
            w.Write((byte)c.Chord.Quality);
        }
    }

    public static (List<CorpusPiece> Pieces, List<string> Skipped) Read(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var r = new BinaryReader(gzip, Encoding.UTF8);
            if (r.ReadUInt32() != Magic || r.ReadInt32() != Version)
            {
                throw new InvalidDataException("cache version mismatch");
            }

            var skipped = Enumerable.Range(0, r.ReadInt32()).Select(_ => r.ReadString()).ToList();
            var pieces = new List<CorpusPiece>();
            for (int i = 0, count = r.ReadInt32(); i < count; i++)
            {
                var (dataset, name, split, title, type) = (r.ReadString(), r.ReadString(), (Split)r.ReadByte(), r.ReadString(), r.ReadString());
                var meter = new MeterChange(0, r.ReadInt32(), r.ReadInt32());
                var key = new KeySignature(r.ReadSByte(), (KeyMode)r.ReadByte());
                var bpm = r.ReadDouble();
                var bars = r.ReadInt32();
                var melody = Enumerable.Range(0, r.ReadInt32()).Select(_ => new Note(r.ReadByte(), r.ReadInt64(), r.ReadInt64(), r.ReadByte())).ToValueList();
                var chords = Enumerable.Range(0, r.ReadInt32()).Select(_ => new ChordSpan(r.ReadInt64(), r.ReadInt64(), new Chord(r.ReadByte(), (ChordQuality)r.ReadByte()))).ToValueList();
                pieces.Add(new CorpusPiece(dataset, name, split, title, type, new LeadSheet(meter, key, bpm, bars, melody, chords)));
            }

            return (pieces, skipped);
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException("truncated cache", ex);
        }
    }
}
