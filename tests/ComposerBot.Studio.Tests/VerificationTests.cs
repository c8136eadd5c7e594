using ComposerBot.Composition.Requests;
using ComposerBot.Rendering.Encoding;
using ComposerBot.Rendering.Fingerprints;
using ComposerBot.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ComposerBot.Studio.Tests;

/// <summary>
/// Signed receipts and verification: exact copies by hash, altered copies (re-encoded, cut, louder) by
/// fingerprint against the track made again, and everything else refused: an edited or forged receipt,
/// another key, and fifty unrelated tracks.
/// </summary>
[Collection(StudioGroup.Name)]
public sealed class VerificationTests(StudioFixture studio) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private TrackVerifier Verifier => studio.Services.GetRequiredService<TrackVerifier>();

    private AudioProbe Probe => studio.Services.GetRequiredService<AudioProbe>();

    private Task<ComposeResult> Compose(Style style, int seed, string name, double seconds = 24) =>
        studio.Composer.ComposeAsync(new ComposeOrder(new CompositionRequest { Style = style, LengthSeconds = seconds, Seed = seed }, null, _dir.Path, name, AudioFormat.Wav));

    [Fact]
    public async Task A_receipt_is_signed_over_its_files_hashes_and_the_files_verify_byte_for_byte()
    {
        var track = await Compose(Style.Folk, 3, "folk");
        var receipt = track.Receipt;
        Assert.True(ReceiptSigner.HasValidSignature(receipt));
        Assert.Equal(studio.Services.GetRequiredService<ReceiptSigner>().PublicKey, receipt.PublicKey);
        Assert.Equal(ReceiptSigner.Sha256(track.AudioPath), receipt.FilesSha256!["audio"]);
        Assert.Contains($"ComposerBot receipt {receipt.ReceiptId}", File.ReadAllText(track.MidiPath, System.Text.Encoding.Latin1), StringComparison.Ordinal);

        var audio = await Verifier.VerifyAsync(track.AudioPath, receipt, receipt.PublicKey, CancellationToken.None);
        Assert.True(audio.Verified, audio.Verdict);
        Assert.Equal("sha256", audio.Method);
        Assert.True(audio.SignedByThisInstallation);
        var midi = await Verifier.VerifyAsync(track.MidiPath, receipt, null, CancellationToken.None);
        Assert.True(midi.Verified, midi.Verdict);

        // The receipt travels as JSON: read back, it still verifies.
        var read = StudioJsonContext.Deserialize(await File.ReadAllTextAsync(track.ReceiptPath));
        Assert.True(ReceiptSigner.HasValidSignature(read));
        Assert.Equal(receipt.ReceiptId, await ReceiptIdOf(track.AudioPath));
    }

    [Fact]
    public async Task An_edited_or_forged_receipt_or_another_key_is_not_verified()
    {
        var track = await Compose(Style.Piano, 4, "piano");
        var receipt = track.Receipt;

        var edited = receipt with { Seed = receipt.Seed + 1 };
        Assert.False((await Verifier.VerifyAsync(track.AudioPath, edited, null, CancellationToken.None)).Verified);

        var otherKey = new ReceiptSigner(_dir.File("other-key"));
        var resigned = otherKey.Sign(receipt);
        Assert.True(ReceiptSigner.HasValidSignature(resigned));
        var wrongKey = await Verifier.VerifyAsync(track.AudioPath, resigned, receipt.PublicKey, CancellationToken.None);
        Assert.False(wrongKey.Verified);
        Assert.Contains("not by the key given", wrongKey.Verdict, StringComparison.Ordinal);

        // A receipt for another track, its signature pasted onto this one's contents.
        var other = await Compose(Style.Piano, 5, "piano-other");
        var forged = other.Receipt with { Signature = receipt.Signature };
        Assert.False((await Verifier.VerifyAsync(other.AudioPath, forged, null, CancellationToken.None)).Verified);

        // A MIDI file with one byte changed is not the track's MIDI file.
        var bytes = await File.ReadAllBytesAsync(track.MidiPath);
        bytes[^5] ^= 0x01;
        var changed = _dir.File("changed.mid");
        await File.WriteAllBytesAsync(changed, bytes);
        Assert.False((await Verifier.VerifyAsync(changed, receipt, null, CancellationToken.None)).Verified);
    }

    [Theory]
    [InlineData("reencoded", new[] { "-c:a", "libmp3lame", "-b:a", "64k" }, ".mp3")]
    [InlineData("excerpt", new[] { "-ss", "2", "-t", "20", "-c:a", "libmp3lame", "-b:a", "128k" }, ".mp3")]
    [InlineData("louder", new[] { "-af", "volume=3dB", "-c:a", "libopus", "-b:a", "96k" }, ".ogg")]
    public async Task An_altered_copy_verifies_by_fingerprint_against_the_track_made_again(string name, string[] ffmpeg, string extension)
    {
        var track = await Compose(Style.Chiptune, 6, "chip");
        var copy = _dir.File(name + extension);
        ExternalTools.Run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-i", track.AudioPath, .. ffmpeg, "-y", copy]);
        var result = await Verifier.VerifyAsync(copy, track.Receipt, null, CancellationToken.None);
        Assert.True(result.Verified, $"{result.Verdict} ({result.Match})");
        Assert.Equal("fingerprint", result.Method);
    }

    [Fact]
    public async Task Fifty_unrelated_tracks_never_verify_and_an_altered_copy_always_does()
    {
        var original = await Compose(Style.LoFi, 7, "original");
        var reference = AudioFingerprint.Of(await Probe.DecodeMonoAsync(original.AudioPath, CancellationToken.None));
        var styles = Enum.GetValues<Style>();
        var worst = new FingerprintMatch(0, 0, 0, 0);
        for (var i = 0; i < 50; i++)
        {
            // Half of them in the same style (another seed), the rest in every other style.
            var style = i % 2 == 0 ? Style.LoFi : styles[i % styles.Length];
            var unrelated = await Compose(style, 100 + i, $"unrelated-{i}", seconds: 12);
            var match = reference.Match(AudioFingerprint.Of(await Probe.DecodeMonoAsync(unrelated.AudioPath, CancellationToken.None)));
            Assert.False(match.IsSameRecording, $"{style} seed {100 + i} matched: {match}");
            worst = match.Correlation > worst.Correlation ? match : worst;
            File.Delete(unrelated.AudioPath);
        }

        var copy = _dir.File("copy.mp3");
        ExternalTools.Run("ffmpeg", "-hide_banner", "-loglevel", "error", "-i", original.AudioPath, "-ss", "3", "-t", "15", "-b:a", "64k", "-y", copy);
        var same = reference.Match(AudioFingerprint.Of(await Probe.DecodeMonoAsync(copy, CancellationToken.None)));
        Assert.True(same.IsSameRecording, $"copy {same}; the closest unrelated track {worst}");
        Assert.True(same.Correlation - worst.Correlation >= 0.1, $"copy {same}; the closest unrelated track {worst}");
    }

    private async Task<string?> ReceiptIdOf(string audio) =>
        (await Probe.CommentAsync(audio, CancellationToken.None))?.Replace("ComposerBot receipt ", "", StringComparison.Ordinal);
}
