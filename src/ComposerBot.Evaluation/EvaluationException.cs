namespace ComposerBot.Evaluation;

/// <summary>An evaluation that cannot run as asked; the message is one line for the user.</summary>
public sealed class EvaluationException : Exception
{
    public EvaluationException(string message)
        : base(message)
    {
    }

    public EvaluationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EvaluationException()
    {
    }
}
