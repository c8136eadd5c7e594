namespace ComposerBot.Discord.Rest;

/// <summary>A file over the interaction's attachment_size_limit: refused before anything is sent.</summary>
public sealed class AttachmentTooLargeException : Exception
{
    public AttachmentTooLargeException(string fileName, long bytes, long limit)
        : base($"{fileName} is {bytes:N0} bytes, over the {limit:N0}-byte attachment limit.")
    {
        FileName = fileName;
    }

    public AttachmentTooLargeException()
    {
    }

    public AttachmentTooLargeException(string message)
        : base(message)
    {
    }

    public AttachmentTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public string? FileName { get; }
}
