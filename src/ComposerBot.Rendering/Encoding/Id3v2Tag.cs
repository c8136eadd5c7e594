using System.Buffers.Binary;

namespace ComposerBot.Rendering.Encoding;

/// <summary>
/// The ID3v2.3 tag at the start of an MP3 this process encodes (id3.org, ID3 tag version 2.3.0): the title
/// (TIT2), the encoding person or program (TENC), the comment (COMM, where the receipt id goes), the
/// encoder's name and version (TSSE), and any other key as a user-defined text frame (TXXX) named by the key,
/// as ffmpeg writes them, so ffprobe and players read the same tags from either. ASCII text is written as
/// ISO-8859-1, anything else as UTF-16 with a byte-order mark.
/// </summary>
internal static class Id3v2Tag
{
    private const int HeaderBytes = 10;

    public static byte[] Build(IReadOnlyDictionary<string, string>? metadata, string encoder)
    {
        var frames = new List<byte[]>();
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            frames.Add(key.ToLowerInvariant() switch
            {
                "title" => Frame("TIT2", Text(value)),
                "encoded_by" => Frame("TENC", Text(value)),
                "comment" => Frame("COMM", Comment(value)),
                _ => Frame("TXXX", Text(key, value)),
            });
        }

        frames.Add(Frame("TSSE", Text(encoder)));
        var size = frames.Sum(f => f.Length);
        if (size >= 1 << 28)
        {
            throw new RenderException($"the MP3's tags take {size:N0} bytes; ID3v2 holds under 256 MiB.");
        }

        var tag = new byte[HeaderBytes + size];
        "ID3"u8.CopyTo(tag);
        tag[3] = 3; // version 2.3.0, no flags
        for (var i = 0; i < 4; i++)
        {
            tag[6 + i] = (byte)((size >> (7 * (3 - i))) & 0x7F); // synchsafe: seven bits a byte
        }

        var at = HeaderBytes;
        foreach (var frame in frames)
        {
            frame.CopyTo(tag, at);
            at += frame.Length;
        }

        return tag;
    }

    /// <summary>A frame: its id, the size of its body (a plain 32-bit number in 2.3), no flags, the body.</summary>
    private static byte[] Frame(string id, byte[] body)
    {
        var frame = new byte[HeaderBytes + body.Length];
        System.Text.Encoding.ASCII.GetBytes(id, frame);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(4), body.Length);
        body.CopyTo(frame, HeaderBytes);
        return frame;
    }

    /// <summary>A text frame's body: the encoding byte, then each string terminated, in that one encoding.</summary>
    private static byte[] Text(params string[] strings)
    {
        var unicode = strings.Any(s => s.Any(c => c > 0x7F));
        var body = new List<byte> { (byte)(unicode ? 1 : 0) };
        foreach (var text in strings)
        {
            body.AddRange(Encoded(text, unicode));
        }

        return [.. body];
    }

    /// <summary>A comment's body: the encoding byte, a language, an empty description and the text.</summary>
    private static byte[] Comment(string text)
    {
        var unicode = text.Any(c => c > 0x7F);
        return [(byte)(unicode ? 1 : 0), .. "eng"u8, .. Encoded("", unicode), .. Encoded(text, unicode)];
    }

    private static byte[] Encoded(string text, bool unicode) => unicode
        ? [0xFF, 0xFE, .. System.Text.Encoding.Unicode.GetBytes(text), 0, 0]
        : [.. System.Text.Encoding.Latin1.GetBytes(text), 0];
}
