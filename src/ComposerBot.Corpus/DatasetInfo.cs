namespace ComposerBot.Corpus;

/// <summary>One dataset of the manifest: where it is, its licence and its metadata table.</summary>
public sealed record DatasetInfo(string Name, string Path, string Licence, string Source, string Metadata);
