namespace ComposerBot.Studio;

/// <summary>A shipped model file is missing or unreadable; the message names it and how to rebuild it.</summary>
public sealed class ModelException : Exception
{
    public ModelException(string message)
        : base(message)
    {
    }

    public ModelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ModelException()
    {
    }
}
