using System.Globalization;
using System.Text.Json;
using ComposerBot.Discord.Models;
using ComposerBot.Discord.Modules;
using ComposerBot.Discord.Rest;
using ComposerBot.Jobs;
using ComposerBot.Rendering;
using ComposerBot.Studio;

namespace ComposerBot.Bot.Modules;

/// <summary>
/// /verify: a private answer saying whether an attached file is a ComposerBot track, checked against its
/// signed receipt (found by the id in the file's tags among the tracks made here, or attached), with the
/// receipt attached to the answer.
/// </summary>
public sealed class VerifyModule(TrackVerifier verifier, StoredReceipts stored, IHttpClientFactory http) : InteractionModuleBase
{
    private const long MaxBytes = 25L * 1024 * 1024;

    [SlashCommand("verify", "Check that an audio or MIDI file is a ComposerBot track, against its signed receipt")]
    public async Task Verify(
        [Summary("The audio or MIDI file to check (up to 25 MB)")] Attachment file,
        [Summary("Its receipt (.json), when the file's tags no longer name it")] Attachment? receipt = null,
        CancellationToken cancellationToken = default)
    {
        if (file.Size > MaxBytes)
        {
            await RespondAsync(string.Create(CultureInfo.InvariantCulture, $"⚠️ {file.Filename} is {file.Size / 1048576.0:0.#} MB; /verify takes files up to 25 MB."), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        // Making the track again to compare takes seconds: answer "thinking..." privately first.
        await DeferAsync(ephemeral: true, cancellationToken).ConfigureAwait(false);
        try
        {
            var bytes = await AttachmentDownload.ReadAsync(http, file.Url, MaxBytes, $"{file.Filename} is over 25 MB.", cancellationToken).ConfigureAwait(false);
            using var upload = await VerificationUpload.SaveAsync(file.Filename, (stream, ct) => stream.WriteAsync(bytes, ct).AsTask(), cancellationToken).ConfigureAwait(false);
            var (found, receiptPath) = await ReceiptAsync(upload, receipt, cancellationToken).ConfigureAwait(false);
            if (found is null)
            {
                await AnswerAsync($"⚠️ {file.Filename} names no receipt that this bot made (its tags hold no ComposerBot receipt id, or a re-encode dropped them). Attach the track's receipt (.json) as `receipt`.", null, cancellationToken).ConfigureAwait(false);
                return;
            }

            var result = await verifier.VerifyAsync(upload, found, cancellationToken).ConfigureAwait(false);
            var signer = result.SignedByThisInstallation ? "this bot's key" : $"the key {result.SignedBy}";
            await AnswerAsync($"{(result.Verified ? "✅" : "❌")} {result.Verdict}\nSigned by {signer}.", receiptPath, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RenderException or JsonException or InvalidDataException or HttpRequestException or Composition.Requests.CompositionException)
        {
            await AnswerAsync($"⚠️ {ex.Message}", null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The receipt the user attached (kept beside the upload), else the stored one the file's tags name.</summary>
    private async Task<(Receipt? Receipt, string? Path)> ReceiptAsync(VerificationUpload upload, Attachment? attached, CancellationToken cancellationToken)
    {
        if (attached is not null)
        {
            var path = Path.Combine(upload.Folder, "receipt.json");
            await File.WriteAllBytesAsync(path, await AttachmentDownload.ReadAsync(http, attached.Url, 1024 * 1024, $"{attached.Filename} is over 1 MB; a receipt is a few KB.", cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            return (StudioJsonContext.Deserialize(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)), path);
        }

        return await stored.ForAsync(upload.Path, cancellationToken).ConfigureAwait(false);
    }

    private Task AnswerAsync(string text, string? receiptPath, CancellationToken cancellationToken) =>
        ModifyOriginalResponseAsync(
            new MessagePayload { Content = text },
            receiptPath is null ? null : [new FileUpload(Path.GetFileName(receiptPath), File.ReadAllBytes(receiptPath))],
            cancellationToken);
}
