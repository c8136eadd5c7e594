using System.Text;
using NSec.Cryptography;

namespace ComposerBot.Discord.Tests;

/// <summary>Posts to an interactions endpoint signed the way Discord signs (Ed25519 over timestamp + body).</summary>
public sealed class SigningClient : IDisposable
{
    private readonly Key _key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
    private readonly HttpClient _http = new();

    public string PublicKeyHex => Convert.ToHexString(_key.PublicKey.Export(KeyBlobFormat.RawPublicKey));

    /// <param name="signedAt">When the request was signed (now when not given): Discord's timestamp is Unix seconds.</param>
    public async Task<HttpResponseMessage> PostAsync(Uri endpoint, string body, bool forge = false, DateTimeOffset? signedAt = null)
    {
        var timestamp = (signedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = SignatureAlgorithm.Ed25519.Sign(_key, Encoding.UTF8.GetBytes(timestamp + body));
        if (forge)
        {
            signature[0] ^= 0xFF;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Signature-Ed25519", Convert.ToHexString(signature));
        request.Headers.Add("X-Signature-Timestamp", timestamp);
        return await _http.SendAsync(request);
    }

    public void Dispose()
    {
        _http.Dispose();
        _key.Dispose();
    }
}
