using System.Text.Json;
using ComposerBot.Composition.Prompts;
using ComposerBot.Composition.Requests;
using ComposerBot.Rendering.Encoding;
using ComposerBot.Rendering.Fingerprints;

namespace ComposerBot.Studio;

/// <summary>What a verification found: the verdict in one line, how it was reached, the receipt it was checked against.</summary>
public sealed record Verification(bool Verified, string Verdict, string? ReceiptId, string Method)
{
    public FingerprintMatch? Match { get; init; }

    /// <summary>The key that signed the receipt, and whether it is this installation's own.</summary>
    public string? SignedBy { get; init; }

    public bool SignedByThisInstallation { get; init; }
}

/// <summary>
/// Checks that a file is the track a receipt describes: the receipt's signature, the key that made it, the
/// file's SHA-256 against the receipt's (an exact copy), and otherwise the audio against the track made
/// again from the receipt (generation is deterministic), by a landmark fingerprint that survives
/// re-encoding, cutting and gain changes.
/// </summary>
/// <remarks>The composer (and its model) is loaded only when a track must be made again: a check by hash costs no model load.</remarks>
public sealed class TrackVerifier(Lazy<TrackComposer> composer, ReceiptSigner signer, AudioProbe probe)
{
    /// <summary>The receipt a track names: given, beside it (same name, .json), or by the id in its tags found among the receipts in its folder.</summary>
    public static async Task<string?> FindReceiptAsync(string track, AudioProbe probe, CancellationToken cancellationToken)
    {
        var beside = Path.ChangeExtension(track, ".json");
        if (File.Exists(beside))
        {
            return beside;
        }

        var id = await ReceiptIdInAsync(track, probe, cancellationToken).ConfigureAwait(false);
        if (id is null)
        {
            return null;
        }

        foreach (var candidate in Directory.EnumerateFiles(Path.GetDirectoryName(Path.GetFullPath(track))!, "*.json"))
        {
            try
            {
                if (StudioJsonContext.Deserialize(await File.ReadAllTextAsync(candidate, cancellationToken).ConfigureAwait(false)).ReceiptId == id)
                {
                    return candidate;
                }
            }
            catch (JsonException)
            {
                // Not a receipt.
            }
        }

        return null;
    }

    public Task<Verification> VerifyAsync(string track, Receipt receipt, string? expectedKey, CancellationToken cancellationToken) =>
        VerifyAsync(track, Path.GetFileName(track), receipt, expectedKey, cancellationToken);

    /// <summary>A file someone sent, named in the verdict by the name they gave it.</summary>
    public Task<Verification> VerifyAsync(VerificationUpload upload, Receipt receipt, CancellationToken cancellationToken) =>
        VerifyAsync(upload.Path, upload.FileName, receipt, null, cancellationToken);

    /// <summary>
    /// The verdict that needs no model: the receipt's signature, the key that made it, and the file's SHA-256
    /// against the receipt's. Null when only making the track again can tell (an audio file with other bytes).
    /// <paramref name="ownPublicKey"/> is this installation's key, to say whether it signed the receipt.
    /// </summary>
    public static Verification? CheckExact(string track, string name, Receipt receipt, string? expectedKey, string ownPublicKey)
    {
        var id = receipt.ReceiptId;
        if (!ReceiptSigner.HasValidSignature(receipt))
        {
            return new Verification(false, $"not verified: receipt {id} is not validly signed (it was edited, forged or never signed)", id, "signature");
        }

        if (expectedKey is not null && !SameKey(expectedKey, receipt.PublicKey!))
        {
            return Signed(receipt, ownPublicKey, false, $"not verified: receipt {id} was signed by {receipt.PublicKey}, not by the key given", "key");
        }

        var sha = ReceiptSigner.Sha256(track);
        if (receipt.FilesSha256?.FirstOrDefault(f => f.Value == sha) is { Key: not null } exact)
        {
            return Signed(receipt, ownPublicKey, true, $"verified: {name} is the {exact.Key} file of receipt {id}, byte for byte", "sha256");
        }

        return IsMidi(track) ? Signed(receipt, ownPublicKey, false, $"not verified: {name} differs from the MIDI file of receipt {id}", "sha256") : null;
    }

    private async Task<Verification> VerifyAsync(string track, string name, Receipt receipt, string? expectedKey, CancellationToken cancellationToken) =>
        CheckExact(track, name, receipt, expectedKey, signer.PublicKey) ?? await RegenerateAndCompareAsync(track, name, receipt, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The verdict for an audio file that <see cref="CheckExact"/> could not settle (a validly signed receipt, other
    /// bytes): the track made again from the receipt and compared by its landmark fingerprint.
    /// </summary>
    public async Task<Verification> RegenerateAndCompareAsync(string track, string name, Receipt receipt, CancellationToken cancellationToken)
    {
        var id = receipt.ReceiptId;
        Verification Result(bool verified, string verdict, string method) => Signed(receipt, signer.PublicKey, verified, verdict, method);

        // Not the file itself: make the track again from the receipt and compare what it sounds like. ffmpeg
        // decodes the file meanwhile, on the other core.
        var work = Path.Combine(Path.GetTempPath(), $"composerbot-verify-{Guid.NewGuid():N}");
        var decoding = probe.DecodeMonoAsync(track, cancellationToken);
        try
        {
            var order = new ComposeOrder(Request(receipt), null, work, "regenerated", AudioFormat.Wav) { MaxBytes = long.MaxValue };
            var again = await composer.Value.ComposeAsync(order, null, cancellationToken).ConfigureAwait(false);
            if (again.Receipt.ReceiptId != id)
            {
                var why = again.Receipt.ModelSha256 != receipt.ModelSha256
                    ? $"it was made by model {receipt.ModelSha256[..Math.Min(12, receipt.ModelSha256.Length)]}, which is not installed here"
                    : "it continues a melody the receipt does not hold";
                return Result(false, $"not verified: the track of receipt {id} cannot be made again to compare ({why}); only its exact files can be verified", "regenerate");
            }

            var reference = AudioFingerprint.Of(await probe.DecodeMonoAsync(again.AudioPath, cancellationToken).ConfigureAwait(false));
            var query = AudioFingerprint.Of(await decoding.ConfigureAwait(false));
            var match = reference.Match(query);
            var verdict = match.IsSameRecording
                ? $"verified: {name} is a copy of the track of receipt {id} (re-encoded or cut: {match.Share:P0} of its landmarks agree {match.OffsetSeconds:0.0} s into the track)"
                : again.Receipt.SamplingSha256 != receipt.SamplingSha256
                    ? $"not verified: {name} does not sound like the track of receipt {id} as this installation makes it again ({match.Share:P0} of its landmarks agree), and it may not make it alike: the receipt's melody was chosen with {Sampling(receipt)}, this installation samples with {Sampling(again.Receipt)}; only its exact files can be verified"
                    : $"not verified: {name} does not sound like the track of receipt {id} ({match.Share:P0} of its landmarks agree)";
            return Result(match.IsSameRecording, verdict, "fingerprint") with { Match = match };
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }

            // A verdict reached without the decoded file (or a failed regeneration) still waits for ffmpeg, and
            // leaves its error, if any, to the caller that needed it.
            await decoding.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    /// <summary>The request a receipt records, as compose would be asked for it again.</summary>
    public static CompositionRequest Request(Receipt receipt)
    {
        var r = receipt.Request;
        if (Enum.GetValues<Style>().Where(s => StyleProfile.Name(s) == r.Style).Select(s => (Style?)s).FirstOrDefault() is not { } style
            || !Enum.TryParse<Mood>(r.Mood, ignoreCase: true, out var mood))
        {
            throw new CompositionException($"receipt {receipt.ReceiptId} names a style or mood this version does not know ({r.Style}, {r.Mood}).");
        }

        var request = new CompositionRequest
        {
            Style = style,
            Mood = mood,
            Key = PromptParser.ParseKeyOption(r.Key),
            Meter = PromptParser.ParseMeterOption(r.Meter),
            Tempo = r.TempoStated ? r.TempoBpm : null,
            LengthSeconds = r.LengthSeconds,
            LengthBars = r.LengthBars,
            Loop = r.Loop,
            Stinger = r.Stinger,
            Stems = r.Stems,
            Drums = r.Drums,
            Seed = receipt.Seed,
        };

        // A feel the style and meter chose themselves is left to choose again; only an asked one is named.
        return receipt.Feel is { } feel && feel != TrackComposer.FeelOf(request.Resolve()) ? request with { Feel = feel } : request;
    }

    /// <summary>The receipt id a file carries: the audio's comment tag, or the MIDI file's text event.</summary>
    public static async Task<string?> ReceiptIdInAsync(string track, AudioProbe probe, CancellationToken cancellationToken)
    {
        const string prefix = TrackComposer.ReceiptTextPrefix;
        string? text;
        if (IsMidi(track))
        {
            var bytes = await File.ReadAllBytesAsync(track, cancellationToken).ConfigureAwait(false);
            var all = System.Text.Encoding.Latin1.GetString(bytes);
            var at = all.IndexOf(prefix, StringComparison.Ordinal);
            text = at < 0 ? null : all[at..Math.Min(all.Length, at + prefix.Length + 16)];
        }
        else
        {
            text = await probe.CommentAsync(track, cancellationToken).ConfigureAwait(false);
        }

        return text is not null && text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..].Trim() : null;
    }

    /// <summary>A verdict on a validly signed receipt, saying who signed it.</summary>
    private static Verification Signed(Receipt receipt, string ownPublicKey, bool verified, string verdict, string method) =>
        new(verified, verdict, receipt.ReceiptId, method)
        {
            SignedBy = receipt.PublicKey,
            SignedByThisInstallation = string.Equals(receipt.PublicKey, ownPublicKey, StringComparison.OrdinalIgnoreCase),
        };

    private static bool IsMidi(string path) => Path.GetExtension(path).ToLowerInvariant() is ".mid" or ".midi";

    private static bool SameKey(string given, string signedBy) =>
        ReceiptSigner.ParsePublicKey(given) is { } a && ReceiptSigner.ParsePublicKey(signedBy) is { } b && a.Equals(b);

    private static string Sampling(Receipt receipt) =>
        receipt.SamplingSha256 is { } sampling ? $"sampling files {sampling[..Math.Min(12, sampling.Length)]}" : "no sampling calibration or melody critic";
}
