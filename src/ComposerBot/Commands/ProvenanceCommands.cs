using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComposerBot.Rendering.Fingerprints;
using ComposerBot.Studio;
using Microsoft.Extensions.DependencyInjection;

namespace ComposerBot.Cli.Commands;

/// <summary>
/// <c>composerbot key</c> (this installation's public signing key) and <c>composerbot verify TRACK</c>
/// (whether a file is the track a signed receipt describes): exit 0 verified, 1 not verified, 2 bad input.
/// </summary>
public static class ProvenanceCommands
{
    public static Command CreateKey()
    {
        var command = new Command("key", "Print this installation's public key, the one that signs its receipts (created on first use).");
        command.SetAction(async (_, _) =>
        {
            await using var services = CliServices.Build();
            var signer = services.GetRequiredService<ReceiptSigner>();
            await Console.Out.WriteLineAsync(signer.PublicKey).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command CreateVerify()
    {
        var track = new Argument<FileInfo>("track") { Description = "The audio or MIDI file to check (an upload, a download, a clip)." };
        var receiptOption = new Option<FileInfo?>("--receipt", "-r") { Description = "The receipt (.json); default: beside the track, or found by the id in its tags." };
        var key = new Option<string?>("--key") { Description = "The public key the receipt must be signed with (ed25519:HEX, as 'composerbot key' prints)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the verdict line." };
        var command = new Command("verify", "Check that a file is the track a signed receipt describes: exit 0 verified, 1 not verified, 2 bad input.") { track, receiptOption, key, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetRequiredValue(track);
            if (!file.Exists)
            {
                throw new CliInputException($"no such file: {file.FullName}");
            }

            if (parse.GetValue(key) is { } given && ReceiptSigner.ParsePublicKey(given) is null)
            {
                throw new CliInputException($"'{given}' is not a public key; write it as 'composerbot key' prints it (ed25519: and 64 hex digits).");
            }

            var probe = new AudioProbe();
            var receiptPath = parse.GetValue(receiptOption)?.FullName ?? await TrackVerifier.FindReceiptAsync(file.FullName, probe, cancellationToken).ConfigureAwait(false)
                ?? throw new CliInputException($"no receipt found for {file.Name} (none beside it, and no receipt id in its tags that a receipt in its folder has); give one with --receipt.");
            Receipt receipt;
            try
            {
                receipt = StudioJsonContext.Deserialize(await File.ReadAllTextAsync(receiptPath, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is JsonException or FileNotFoundException or NotSupportedException)
            {
                throw new CliInputException($"{Path.GetFileName(receiptPath)} is not a ComposerBot receipt ({ex.Message.Split('\n')[0].TrimEnd('.')}).");
            }

            // The signature and an exact copy are checked before any service is built (no model, no SoundFont).
            var ownKey = new ReceiptSigner(StudioServiceCollectionExtensions.SigningKeyPath(CliServices.Configuration())).PublicKey;
            var result = TrackVerifier.CheckExact(file.FullName, file.Name, receipt, parse.GetValue(key), ownKey);
            if (result is null)
            {
                // The track is made again by the generator the receipt names.
                var settings = new Dictionary<string, string?> { ["Composer:Generator"] = receipt.Model is "ngram" or "model" ? receipt.Model : "auto" };
                await using var services = CliServices.Build(settings);
                result = await services.GetRequiredService<TrackVerifier>().RegenerateAndCompareAsync(file.FullName, file.Name, receipt, cancellationToken).ConfigureAwait(false);
            }

            await Console.Out.WriteLineAsync(parse.GetValue(json) ? Json(result, receiptPath) : result.Verdict).ConfigureAwait(false);
            return result.Verified ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private static string Json(Verification result, string receiptPath) => new JsonObject
    {
        ["verified"] = result.Verified,
        ["verdict"] = result.Verdict,
        ["method"] = result.Method,
        ["receipt_id"] = result.ReceiptId,
        ["receipt"] = receiptPath,
        ["signed_by"] = result.SignedBy,
        ["signed_by_this_installation"] = result.SignedByThisInstallation,
        ["match"] = result.Match is { } m
            ? new JsonObject
            {
                ["offset_s"] = Math.Round(m.OffsetSeconds, 2),
                ["landmarks"] = m.Landmarks,
                ["share"] = Math.Round(m.Share, 4),
                ["correlation"] = Math.Round(m.Correlation, 4),
            }
            : null,
    }.ToJsonString();
}
