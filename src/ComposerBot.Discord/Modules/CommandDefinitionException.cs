namespace ComposerBot.Discord.Modules;

/// <summary>A module declares a command Discord would refuse; the message names the command and the rule.</summary>
public sealed class CommandDefinitionException : Exception
{
    public CommandDefinitionException(string message)
        : base(message)
    {
    }

    public CommandDefinitionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CommandDefinitionException()
    {
    }
}
