using ComposerBot.Music.LeadSheets;
using ComposerBot.Music.Metrics;
using ComposerBot.TestSupport;

namespace ComposerBot.Music.Tests;

public class OriginalityIndexTests
{
    private static ushort[] Symbols(int[] pitches) => MelodySymbols.Of(Melodies.Quarters(pitches).Melody, LeadSheet.Resolution);

    private static OriginalityIndex Index() => OriginalityIndex.Build(
        Enumerable.Range(0, 50).Select(i => ($"tune{i}", Symbols(Melodies.Walk(i, 64)))));

    [Fact]
    public void A_tune_found_verbatim_shares_a_run_as_long_as_the_tune()
    {
        var tune = Symbols(Melodies.Walk(7, 64));
        var report = Index().Check(tune);
        Assert.Equal(tune.Length, report.LongestSharedRun);
        Assert.Equal("tune7", report.SharedWith);
        Assert.Equal(0, report.NovelEightGramShare);
    }

    [Fact]
    public void Transposition_does_not_hide_a_copy()
    {
        var transposed = Melodies.Walk(3, 64).Select(p => p + 5).ToArray();
        Assert.Equal(63, Index().Check(Symbols(transposed)).LongestSharedRun);
    }

    [Fact]
    public void A_copied_fragment_is_measured_exactly()
    {
        // 12 notes (11 intervals) of tune 9 inside an otherwise new melody of wide leaps.
        var fragment = Melodies.Walk(9, 64)[20..32];
        int[] melody = [40, 80, 41, 79, 42, .. fragment, 90, 30, 91, 31];
        var report = Index().Check(Symbols(melody));
        Assert.InRange(report.LongestSharedRun, 11, 12);
    }

    [Fact]
    public void Short_shared_runs_are_found_below_the_seed_length()
    {
        var index = OriginalityIndex.Build([("a", Symbols([60, 62, 64, 65, 67]))]);
        Assert.Equal(3, index.Check(Symbols([50, 62, 64, 65, 67, 90])).LongestSharedRun - 0);
        Assert.Equal(0, index.Check(Symbols([40, 90])).LongestSharedRun);
    }

    [Fact]
    public void A_saved_index_answers_the_same_after_loading()
    {
        var index = Index();
        using var stream = new MemoryStream();
        index.Save(stream);
        stream.Position = 0;
        var loaded = OriginalityIndex.Load(stream);
        var query = Symbols([.. Melodies.Walk(5, 64)[10..40], .. Melodies.Walk(99, 30)]);
        Assert.Equal(index.Check(query), loaded.Check(query));
        Assert.Equal(index.SymbolCount, loaded.SymbolCount);
    }

    [Fact]
    public void A_file_that_is_not_an_index_is_refused() =>
        Assert.ThrowsAny<InvalidDataException>(() => OriginalityIndex.Load(new MemoryStream([1, 2, 3, 4])));
}
