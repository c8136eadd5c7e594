namespace ComposerBot.Rendering.Encoding;

public enum AudioFormat
{
    Mp3,
    Ogg,
    Opus,
    Flac,
    Wav,
}
