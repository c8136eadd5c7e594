using ComposerBot.Music.Clustering;
using ComposerBot.Music.LeadSheets;
using ComposerBot.TestSupport;

namespace ComposerBot.Music.Tests;

public class ClusteringTests
{
    /// <summary>Jigs: 6/8 in running eighths. Waltzes: 3/4 in quarters. Chorales: 4/4 in halves.</summary>
    private static LeadSheet Tune(string type, int seed)
    {
        var (numerator, denominator, length) = type switch
        {
            "jig" => (6, 8, LeadSheet.Resolution / 2),
            "waltz" => (3, 4, LeadSheet.Resolution),
            _ => (4, 4, LeadSheet.Resolution * 2),
        };
        var pitches = Melodies.Walk(seed, 48);
        var notes = pitches.Select((p, i) => new Note(p, (long)i * length, length, 90)).ToValueList();
        var meter = new MeterChange(0, numerator, denominator);
        var bars = (int)Math.Ceiling(notes[^1].End / (double)meter.TicksPerBar(LeadSheet.Resolution));
        return new LeadSheet(meter, new KeySignature(0, KeyMode.Major), 120, bars, notes, ValueList.From<ChordSpan>([]));
    }

    private static readonly string[] Types = ["jig", "waltz", "chorale"];

    /// <summary>90 tunes of three types; every third jig has no type in its metadata.</summary>
    private static List<(LeadSheet Sheet, string Type)> Tunes() =>
        [.. Enumerable.Range(0, 90).Select(i => (Tune(Types[i % 3], i), Types[i % 3] == "jig" && i % 9 == 0 ? "" : Types[i % 3]))];

    [Fact]
    public void Features_describe_the_meter_rhythm_and_pitches_as_histograms()
    {
        var jig = TuneFeatures.Of(Tune("jig", 1))!;
        var waltz = TuneFeatures.Of(Tune("waltz", 1))!;
        Assert.Equal(TuneFeatures.Length, jig.Length);
        Assert.Equal(1, jig[TuneFeatures.Names.ToList().IndexOf("two beats")]);
        Assert.Equal(1, jig[TuneFeatures.Names.ToList().IndexOf("compound")]);
        Assert.Equal(1, waltz[TuneFeatures.Names.ToList().IndexOf("three beats")]);
        Assert.Equal(3, jig[^1], 3); // three eighths per dotted-quarter beat
        var degrees = TuneFeatures.Names.Select((n, i) => (n, i)).Where(x => x.n.StartsWith("degree", StringComparison.Ordinal)).Sum(x => jig[x.i]);
        Assert.Equal(1, degrees, 9);
        Assert.Null(TuneFeatures.Of(Melodies.Quarters([60, 62, 64])));
    }

    [Fact]
    public void Clusters_find_the_tune_types_and_are_named_by_them()
    {
        var tunes = Tunes();
        var (model, assignments, points) = TuneClusters.Fit(tunes, 3, seed: 1, feelOf: t => t == "chorale" ? "chorale" : t);
        Assert.Equal(["chorale", "jig", "waltz"], model.Clusters.Select(c => c.Name).Order());
        Assert.All(model.Clusters, c => Assert.Equal(1.0, c.DominantShare)); // untyped tunes do not vote
        Assert.Equal(90, points.Length);
        for (var i = 0; i < tunes.Count; i++)
        {
            var expected = tunes[i].Type.Length > 0 ? tunes[i].Type : "jig";
            Assert.Equal(expected, model.Clusters[assignments[i]].Name);
        }

        // A new waltz is assigned to the waltz cluster; the model survives a save and load.
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        var loaded = TuneClusters.Load(stream);
        Assert.Equal("waltz", loaded.Assign(Tune("waltz", 500))!.Name);
        Assert.Equal("jig", loaded.Find(" JIG ")!.Feel);
        Assert.Null(loaded.Find("polka"));
    }

    [Fact]
    public void Two_clusters_of_one_type_are_numbered_and_keep_its_feel()
    {
        var (model, _, _) = TuneClusters.Fit(Tunes().Where(t => t.Type != "chorale").Select(t => (t.Sheet, "reel")).ToList(), 2, seed: 1, feelOf: t => t);
        Assert.Equal(["reel", "reel 2"], model.Clusters.Select(c => c.Name).Order());
        Assert.All(model.Clusters, c => Assert.Equal("reel", c.Feel));
    }

    [Fact]
    public void The_projection_keeps_separate_groups_apart()
    {
        var (_, assignments, points) = TuneClusters.Fit(Tunes(), 3, seed: 1, feelOf: t => t);
        var projected = Projection.TwoD(points);
        var centres = Enumerable.Range(0, 3).Select(c => (X: projected.Where((_, i) => assignments[i] == c).Average(p => p.X), Y: projected.Where((_, i) => assignments[i] == c).Average(p => p.Y))).ToList();
        var spread = projected.Select((p, i) => Math.Sqrt(Math.Pow(p.X - centres[assignments[i]].X, 2) + Math.Pow(p.Y - centres[assignments[i]].Y, 2))).Average();
        for (var a = 0; a < 3; a++)
        {
            for (var b = a + 1; b < 3; b++)
            {
                Assert.True(Math.Sqrt(Math.Pow(centres[a].X - centres[b].X, 2) + Math.Pow(centres[a].Y - centres[b].Y, 2)) > 2 * spread);
            }
        }
    }

    [Fact]
    public void Metadata_spellings_of_one_type_are_one_type()
    {
        Assert.Equal("slip jig", TuneClusters.Normalise("SlipJig"));
        Assert.Equal("jig", TuneClusters.Normalise("double jig"));
        Assert.Equal("", TuneClusters.Normalise(null));
    }
}
