namespace ComposerBot.Composition.Requests;

/// <summary>A request that cannot be composed as asked; the message says exactly what was wrong, in one line.</summary>
public sealed class CompositionException : Exception
{
    public CompositionException(string message)
        : base(message)
    {
    }

    public CompositionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CompositionException()
    {
    }
}
