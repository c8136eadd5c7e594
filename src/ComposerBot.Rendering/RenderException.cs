namespace ComposerBot.Rendering;

/// <summary>A render that cannot be done as asked; the message is one line for the user.</summary>
public sealed class RenderException : Exception
{
    public RenderException(string message)
        : base(message)
    {
    }

    public RenderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RenderException()
    {
    }
}
