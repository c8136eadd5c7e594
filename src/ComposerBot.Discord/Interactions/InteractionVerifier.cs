using NSec.Cryptography;

namespace ComposerBot.Discord.Interactions;

/// <summary>
/// Verifies the Ed25519 signature Discord puts on every HTTP interaction: over the raw bytes of
/// <c>X-Signature-Timestamp</c> followed by the body, with the application's public key. Discord sends
/// deliberately bad signatures to check that they are refused. The endpoint also refuses a timestamp more
/// than a few minutes from its clock (<see cref="IsFresh"/>), so a captured request cannot be replayed.
/// </summary>
public sealed class InteractionVerifier
{
    private static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;
    private readonly PublicKey _publicKey;

    public InteractionVerifier(string publicKeyHex)
    {
        if (!TryHex(publicKeyHex, out var raw) || raw.Length != 32
            || !PublicKey.TryImport(Ed25519, raw, KeyBlobFormat.RawPublicKey, out var key) || key is null)
        {
            throw new ArgumentException("the application public key must be 64 hexadecimal characters (an Ed25519 key).", nameof(publicKeyHex));
        }

        _publicKey = key;
    }

    /// <summary>Whether the signature (hex) is valid for the timestamp and the raw body.</summary>
    public bool Verify(string? signatureHex, string? timestamp, ReadOnlySpan<byte> body)
    {
        if (signatureHex is null || timestamp is null || !TryHex(signatureHex, out var signature) || signature.Length != Ed25519.SignatureSize)
        {
            return false;
        }

        var timestampBytes = System.Text.Encoding.UTF8.GetBytes(timestamp);
        var message = new byte[timestampBytes.Length + body.Length];
        timestampBytes.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(timestampBytes.Length));
        return Ed25519.Verify(_publicKey, message, signature);
    }

    /// <summary>
    /// Whether a signature timestamp (Unix seconds, as Discord sends it) lies within <paramref name="maxAge"/>
    /// of <paramref name="now"/>, either way: a request captured and sent again later is refused.
    /// </summary>
    public static bool IsFresh(string? timestamp, DateTimeOffset now, TimeSpan maxAge) =>
        long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
        && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
        && (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() <= maxAge;

    private static bool TryHex(string text, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromHexString(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
