namespace ComposerBot.Generation.Neural;

/// <summary>A neural model that cannot be loaded or run here: a missing or damaged file, an unusable device.</summary>
public sealed class ModelLoadException : Exception
{
    public ModelLoadException()
    {
    }

    public ModelLoadException(string message)
        : base(message)
    {
    }

    public ModelLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
