using ComposerBot.TestSupport;

namespace ComposerBot.Corpus.Tests;

public sealed class CorpusLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public CorpusLoaderTests() => TinyCorpus.Write(_dir.File("corpus"));

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Both_folder_and_zip_datasets_load_with_their_splits_and_metadata()
    {
        var corpus = CorpusLoader.Load(_dir.File("corpus"));
        Assert.Empty(corpus.Skipped);
        Assert.Equal(32, corpus.Pieces.Count);
        Assert.Equal(["airs", "folk"], corpus.Pieces.Select(p => p.Dataset).Distinct().Order());
        Assert.Equal(4, corpus.In(Split.Test).Count());
        Assert.Equal(4, corpus.In(Split.Valid).Count());
        var folk = corpus.Pieces.Single(p => p.File == "folk/train/tune03.mid");
        Assert.Equal("Tune 3, a reel", folk.Title);
        Assert.Equal("A minor", folk.LeadSheet.Key.Name);
        Assert.Equal(8, folk.LeadSheet.Bars);
        Assert.Equal(32, folk.LeadSheet.Melody.Count);
        Assert.Equal("Am", folk.LeadSheet.Chords[0].Chord.Name);
    }

    [Fact]
    public void Keys_missing_from_the_metadata_are_estimated()
    {
        var air = CorpusLoader.Load(_dir.File("corpus")).Pieces.Single(p => p.File == "airs/train/air02.mid");
        // The air only uses the notes of C major, so the estimate is C major or its relative, A minor.
        Assert.Equal(0, air.LeadSheet.Key.Sharps);
        Assert.Equal("4/4", air.LeadSheet.Meter.ToString());
    }

    [Fact]
    public void A_second_load_comes_from_the_cache_and_is_the_same()
    {
        var cache = _dir.File("cache");
        var first = CorpusLoader.Load(_dir.File("corpus"), cache);
        Assert.Single(Directory.GetFiles(cache, "corpus-*.bin.gz"));

        // Spoil a MIDI file but keep its size: a cache hit does not read it, so nothing is skipped.
        var tune = _dir.File("corpus/folk/train/tune02.mid");
        File.WriteAllBytes(tune, new byte[new FileInfo(tune).Length]);
        var second = CorpusLoader.Load(_dir.File("corpus"), cache);
        Assert.Empty(second.Skipped);
        Assert.Equal(first.Pieces, second.Pieces);
        Assert.Equal(first.Fingerprint, second.Fingerprint);
    }

    [Fact]
    public void Changing_the_metadata_invalidates_the_cache()
    {
        var cache = _dir.File("cache");
        var first = CorpusLoader.Load(_dir.File("corpus"), cache);
        File.AppendAllText(_dir.File("corpus/metadata/folk.csv"), "");
        File.WriteAllText(_dir.File("corpus/metadata/folk.csv"), File.ReadAllText(_dir.File("corpus/metadata/folk.csv")).Replace("Tune 3, a reel", "Tune three", StringComparison.Ordinal));
        var second = CorpusLoader.Load(_dir.File("corpus"), cache);
        Assert.NotEqual(first.Fingerprint, second.Fingerprint);
        Assert.Equal("Tune three", second.Pieces.Single(p => p.File == "folk/train/tune03.mid").Title);
    }

    [Fact]
    public void A_broken_file_is_skipped_and_named()
    {
        File.WriteAllText(_dir.File("corpus/folk/train/tune02.mid"), "not midi");
        var corpus = CorpusLoader.Load(_dir.File("corpus"));
        Assert.Equal(31, corpus.Pieces.Count);
        Assert.Contains(corpus.Skipped, s => s.StartsWith("folk/train/tune02.mid: not a MIDI file", StringComparison.Ordinal));
    }

    [Fact]
    public void A_folder_without_a_manifest_is_refused_clearly() =>
        Assert.Contains("manifest.json not found", Assert.Throws<CorpusException>(() => CorpusLoader.Load(_dir.Path)).Message);
}
