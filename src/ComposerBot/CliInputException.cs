namespace ComposerBot.Cli;

/// <summary>An option or argument that parses but makes no sense; the message is one line for the user.</summary>
public sealed class CliInputException : Exception
{
    public CliInputException(string message)
        : base(message)
    {
    }

    public CliInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CliInputException()
    {
    }
}
