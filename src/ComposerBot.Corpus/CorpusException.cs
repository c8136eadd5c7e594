namespace ComposerBot.Corpus;

/// <summary>The corpus is missing or malformed; the message says what and where in one line.</summary>
public sealed class CorpusException : Exception
{
    public CorpusException(string message)
        : base(message)
    {
    }

    public CorpusException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CorpusException()
    {
    }
}
