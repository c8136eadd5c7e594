namespace ComposerBot.Bot.Modules;

/// <summary>A user's attachment from Discord's CDN, read in chunks and refused as soon as it passes a size.</summary>
internal static class AttachmentDownload
{
    public static async Task<byte[]> ReadAsync(IHttpClientFactory http, string url, long maxBytes, string tooLarge, CancellationToken cancellationToken)
    {
        using var client = http.CreateClient(nameof(AttachmentDownload));
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                throw new InvalidDataException(tooLarge);
            }
        }

        return buffer.ToArray();
    }
}
