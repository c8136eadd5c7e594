using System.Security.Cryptography;
using System.Text;
using ComposerBot.Music.IO;
using NSec.Cryptography;

namespace ComposerBot.Studio;

/// <summary>
/// This installation's Ed25519 signing key (created on first use, kept in the data folder, readable by its
/// owner only, never logged) and the receipt signatures made with it. A signature covers the receipt's
/// canonical JSON (compact, the signature left out), and so the SHA-256 of the audio and MIDI files it
/// lists: a changed byte in the receipt or in the files no longer matches.
/// </summary>
public sealed class ReceiptSigner(string keyPath)
{
    public const string KeyPrefix = "ed25519:";
    private static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;
    private readonly Lazy<Key> _key = new(() => LoadOrCreate(keyPath));

    /// <summary>The public key as written in receipts and served at /.well-known/composerbot-key: "ed25519:" and 64 hex digits.</summary>
    public string PublicKey => KeyPrefix + Convert.ToHexStringLower(_key.Value.PublicKey.Export(KeyBlobFormat.RawPublicKey));

    /// <summary>The receipt with this installation's public key and its signature.</summary>
    public Receipt Sign(Receipt receipt)
    {
        var unsigned = receipt with { PublicKey = PublicKey, Signature = null };
        var signature = Ed25519.Sign(_key.Value, Canonical(unsigned));
        return unsigned with { Signature = Convert.ToHexStringLower(signature) };
    }

    /// <summary>Whether the receipt's signature is valid for the public key it names (who that key belongs to is another question).</summary>
    public static bool HasValidSignature(Receipt receipt)
    {
        if (receipt.Signature is not { Length: 128 } signatureHex || ParsePublicKey(receipt.PublicKey) is not { } publicKey)
        {
            return false;
        }

        byte[] signature;
        try
        {
            signature = Convert.FromHexString(signatureHex);
        }
        catch (FormatException)
        {
            return false;
        }

        return Ed25519.Verify(publicKey, Canonical(receipt with { Signature = null }), signature);
    }

    /// <summary>A public key written as "ed25519:HEX" (or bare hex); null when it is not one.</summary>
    public static NSec.Cryptography.PublicKey? ParsePublicKey(string? text)
    {
        var hex = text?.Trim();
        hex = hex is not null && hex.StartsWith(KeyPrefix, StringComparison.OrdinalIgnoreCase) ? hex[KeyPrefix.Length..] : hex;
        if (hex is not { Length: 64 })
        {
            return null;
        }

        try
        {
            return NSec.Cryptography.PublicKey.TryImport(Ed25519, Convert.FromHexString(hex), KeyBlobFormat.RawPublicKey, out var key) ? key : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The bytes a signature covers: the receipt as compact JSON in its fixed field order.</summary>
    public static byte[] Canonical(Receipt receipt) => Encoding.UTF8.GetBytes(StudioJsonContext.SerializeCompact(receipt));

    /// <summary>The SHA-256 of a file, lower-case hex.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static Key LoadOrCreate(string path)
    {
        var creation = new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            using var fresh = Key.Create(Ed25519, creation);
            var seed = Convert.ToHexStringLower(fresh.Export(KeyBlobFormat.RawPrivateKey));
            try
            {
                // Written whole beside its place and moved in without overwriting: two processes starting
                // together keep one key between them.
                AtomicFile.Write(path, stream =>
                {
                    if (!OperatingSystem.IsWindows() && stream is FileStream file)
                    {
                        File.SetUnixFileMode(file.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                    }

                    stream.Write(Encoding.ASCII.GetBytes(seed));
                }, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process made the key first: use that one.
            }
        }

        var text = File.ReadAllText(path).Trim();
        try
        {
            return Key.Import(Ed25519, Convert.FromHexString(text), KeyBlobFormat.RawPrivateKey, creation);
        }
        catch (FormatException ex)
        {
            throw new ModelException($"the signing key {path} is damaged (not 64 hex digits); move it away to make a new one, or restore it from a backup.", ex);
        }
    }
}
