using System.Text.Json.Serialization;

namespace ComposerBot.Web;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ComposeForm))]
[JsonSerializable(typeof(Submitted))]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(TrackView))]
[JsonSerializable(typeof(List<TrackView>))]
[JsonSerializable(typeof(FormOptions))]
[JsonSerializable(typeof(VerifyView))]
[JsonSerializable(typeof(KitView))]
[JsonSerializable(typeof(Radio.RadioTrack))]
[JsonSerializable(typeof(Radio.RadioPlay))]
[JsonSerializable(typeof(List<Radio.RadioPlay>))]
[JsonSerializable(typeof(Radio.RadioPlayed))]
[JsonSerializable(typeof(Radio.RadioStatus))]
public sealed partial class WebJsonContext : JsonSerializerContext;

/// <summary>A request taken: its id, its place in the queue and where to follow it.</summary>
public sealed record Submitted(string Id, int Position, string Url);

/// <summary>Why a request was not taken; <see cref="RetryAfterSeconds"/> when waiting helps.</summary>
public sealed record ApiError(string Error, double? RetryAfterSeconds = null);

/// <summary>The verify page's answer: the verdict, how it was reached, the receipt and its signer.</summary>
public sealed record VerifyView(bool Verified, string Verdict, string Method, string? ReceiptId, string? SignedBy, bool SignedByThisInstallation);
