namespace ComposerBot.Rendering.Encoding;

/// <summary>What the encoder wrote: the format, the file size and the bitrate it settled on.</summary>
public sealed record EncodeResult(AudioFormat Format, long Bytes, int? BitrateKbps);
