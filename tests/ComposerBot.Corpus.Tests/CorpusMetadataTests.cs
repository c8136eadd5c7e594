namespace ComposerBot.Corpus.Tests;

public class CorpusMetadataTests
{
    [Theory]
    [InlineData("G", "G major")]
    [InlineData("Gm", "G minor")]
    [InlineData("F#m", "F# minor")]
    [InlineData("Bb", "Bb major")]
    [InlineData("Edor", "E minor")]
    [InlineData("Glyd", "G major")]
    [InlineData("Dmix", "D major")]
    [InlineData("Am", "A minor")]
    public void Abc_keys_parse_to_major_or_minor(string text, string name) =>
        Assert.Equal(name, CorpusMetadata.ParseKey(text)!.Value.Name);

    [Theory]
    [InlineData("")]
    [InlineData("H")]
    [InlineData("Cxyz")]
    public void Unknown_keys_are_null(string text) => Assert.Null(CorpusMetadata.ParseKey(text));

    [Theory]
    [InlineData("6/8", "6/8")]
    [InlineData("C", "4/4")]
    [InlineData("C|", "2/2")]
    public void Meters_parse_including_common_and_cut_time(string text, string meter) =>
        Assert.Equal(meter, CorpusMetadata.ParseMeter(text)!.Value.ToString());

    [Fact]
    public void Csv_fields_may_be_quoted_with_commas_and_quotes() =>
        Assert.Equal(["a", "b, c", "say \"hi\"", ""], CorpusMetadata.SplitCsvLine("a,\"b, c\",\"say \"\"hi\"\"\","));

    [Theory]
    [InlineData("melody,chords", 0)]
    [InlineData("soprano,alto,tenor,bass", 0)]
    [InlineData("chords,melody", 1)]
    public void The_melody_track_is_found_by_name(string tracks, int index) => Assert.Equal(index, CorpusMetadata.MelodyTrack(tracks));
}
