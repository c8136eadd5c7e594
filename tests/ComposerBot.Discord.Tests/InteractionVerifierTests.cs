using System.Text;
using ComposerBot.Discord.Interactions;
using NSec.Cryptography;

namespace ComposerBot.Discord.Tests;

public sealed class InteractionVerifierTests : IDisposable
{
    private readonly Key _key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });

    public void Dispose() => _key.Dispose();

    private InteractionVerifier Verifier() => new(Convert.ToHexString(_key.PublicKey.Export(KeyBlobFormat.RawPublicKey)));

    private string Sign(string timestamp, string body) =>
        Convert.ToHexString(SignatureAlgorithm.Ed25519.Sign(_key, Encoding.UTF8.GetBytes(timestamp + body)));

    [Fact]
    public void A_signature_over_timestamp_and_body_is_accepted()
    {
        const string body = """{"type":1}""";
        Assert.True(Verifier().Verify(Sign("1700000000", body), "1700000000", Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void A_forged_or_misplaced_signature_is_refused()
    {
        const string body = """{"type":1}""";
        var verifier = Verifier();
        var signature = Sign("1700000000", body);
        Assert.False(verifier.Verify(signature, "1700000001", Encoding.UTF8.GetBytes(body)), "another timestamp");
        Assert.False(verifier.Verify(signature, "1700000000", Encoding.UTF8.GetBytes("""{"type":2}""")), "another body");
        Assert.False(verifier.Verify(new string('0', 128), "1700000000", Encoding.UTF8.GetBytes(body)), "zeros");
        Assert.False(verifier.Verify("not hex", "1700000000", Encoding.UTF8.GetBytes(body)), "not hex");
        Assert.False(verifier.Verify(null, "1700000000", Encoding.UTF8.GetBytes(body)), "missing header");
        Assert.False(verifier.Verify(signature[..64], "1700000000", Encoding.UTF8.GetBytes(body)), "truncated");
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("zz00000000000000000000000000000000000000000000000000000000000000")]
    public void A_malformed_public_key_is_refused_at_start(string key) =>
        Assert.Contains("64 hexadecimal characters", Assert.Throws<ArgumentException>(() => new InteractionVerifier(key)).Message);

    [Theory]
    [InlineData("1800000000", true)] // the clock's own second
    [InlineData("1799999701", true)] // 4 min 59 s old
    [InlineData("1799999699", false)] // 5 min 1 s old: a replay
    [InlineData("1800000301", false)] // 5 min 1 s ahead
    [InlineData("", false)]
    [InlineData("-5", false)]
    [InlineData("17e8", false)]
    [InlineData("99999999999999999999", false)]
    public void A_timestamp_is_fresh_within_five_minutes_of_the_clock(string timestamp, bool fresh) =>
        Assert.Equal(fresh, InteractionVerifier.IsFresh(timestamp, DateTimeOffset.FromUnixTimeSeconds(1_800_000_000), TimeSpan.FromMinutes(5)));
}
