namespace ComposerBot.Corpus;

/// <summary>The loaded corpus: its datasets, every usable piece, and the files that could not be used.</summary>
/// <param name="Fingerprint">Changes whenever the manifest, the metadata, the files or the extractor change.</param>
public sealed record Corpus(string Root, string Fingerprint, IReadOnlyList<DatasetInfo> Datasets, IReadOnlyList<CorpusPiece> Pieces, IReadOnlyList<string> Skipped)
{
    public IEnumerable<CorpusPiece> In(Split split) => Pieces.Where(p => p.Split == split);
}
