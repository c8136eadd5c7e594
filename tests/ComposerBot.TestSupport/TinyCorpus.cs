using System.Globalization;
using System.IO.Compression;
using System.Text;
using ComposerBot.Music;
using ComposerBot.Music.Midi;

namespace ComposerBot.TestSupport;

/// <summary>
/// Writes a small corpus in the shared corpus's layout: manifest.json, metadata CSVs, and two datasets,
/// one a folder of two-track MIDI files (melody + chords), one a zip archive of melody-only files.
/// </summary>
public static class TinyCorpus
{
    public static void Write(string root, int piecesPerDataset = 16)
    {
        Directory.CreateDirectory(Path.Combine(root, "metadata"));
        File.WriteAllText(Path.Combine(root, "manifest.json"), """
            {"version": 1, "datasets": [
              {"name": "folk", "path": "folk", "source": "test", "licence": "public domain", "metadata": "metadata/folk.csv"},
              {"name": "airs", "path": "airs", "source": "test", "licence": "public domain", "metadata": "metadata/airs.csv"}
            ]}
            """);

        var folk = new StringBuilder("file,split,title,type,meter,key,tracks,notes\n");
        for (var i = 0; i < piecesPerDataset; i++)
        {
            var split = SplitOf(i);
            var file = $"folk/{split}/tune{i:00}.mid";
            Directory.CreateDirectory(Path.Combine(root, "folk", split));
            var score = Tune(i, withChords: true);
            MidiFileWriter.Write(score, Path.Combine(root, file));
            folk.Append(CultureInfo.InvariantCulture, $"{file},{split},\"Tune {i}, a reel\",reel,4/4,{(i % 2 == 0 ? "C" : "Am")},\"melody,chords\",{score.NoteCount}\n");
        }

        File.WriteAllText(Path.Combine(root, "metadata", "folk.csv"), folk.ToString());

        var airs = new StringBuilder("file,split,title,type,meter,key,tracks,notes\n");
        using (var zip = ZipFile.Open(Path.Combine(root, "airs.zip"), ZipArchiveMode.Create))
        {
            for (var i = 0; i < piecesPerDataset; i++)
            {
                var split = SplitOf(i);
                var file = $"airs/{split}/air{i:00}.mid";
                var score = Tune(100 + i, withChords: false);
                using (var entry = zip.CreateEntry($"{split}/air{i:00}.mid").Open())
                {
                    MidiFileWriter.Write(score, entry);
                }

                airs.Append(CultureInfo.InvariantCulture, $"{file},{split},Air {i},air,C,,melody,{score.NoteCount}\n");
            }
        }

        File.WriteAllText(Path.Combine(root, "metadata", "airs.csv"), airs.ToString());
    }

    private static string SplitOf(int i) => (i % 8) switch { 0 => "test", 1 => "valid", _ => "train" };

    private static Score Tune(int seed, bool withChords)
    {
        var pitches = Melodies.Walk(seed, 32, seed % 2 == 0 ? 72 : 69, seed % 2 == 0 ? null : [0, 2, 3, 5, 7, 8, 10]);
        var melody = pitches.Select((p, i) => new Note(p, i * 480L, 480, 90)).ToList();
        var tracks = new List<Track> { new("melody", 0, 0, false, Track.Sort(melody)) };
        if (withChords)
        {
            int[] root = seed % 2 == 0 ? [48, 53, 55, 48] : [45, 50, 52, 45];
            var chords = Enumerable.Range(0, 8).SelectMany(bar => new[] { 0, 4, 7 }.Select(iv => new Note(root[bar % 4] + iv + (seed % 2 == 1 && iv == 4 ? -1 : 0), bar * 1920L, 1920, 70)));
            tracks.Add(new Track("chords", 0, 1, false, Track.Sort(chords)));
        }

        return new Score(TempoMap.Constant(480, 120), tracks, [new MeterChange(0, 4, 4)]);
    }
}
