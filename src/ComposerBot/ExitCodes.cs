namespace ComposerBot.Cli;

public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;

    /// <summary>The input or the options were wrong; the message says how.</summary>
    public const int BadInput = 2;

    public const int Cancelled = 130;
}
