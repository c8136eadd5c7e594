namespace ComposerBot.Evaluation;

public enum GeneratorKind
{
    /// <summary>Human tunes never trained on (the valid split): the ceiling a composer can reach.</summary>
    Heldout,

    /// <summary>The n-gram baseline composer: the floor the neural model must beat.</summary>
    Ngram,

    /// <summary>The neural composer shipped in models/.</summary>
    Model,
}
