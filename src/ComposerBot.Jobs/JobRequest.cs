using ComposerBot.Composition.Prompts;

namespace ComposerBot.Jobs;

/// <summary>What to make: the track's options and the audio file wanted.</summary>
public sealed record JobOrder(TrackOptions Track)
{
    /// <summary>mp3, ogg, opus, flac or wav.</summary>
    public string Format { get; init; } = "mp3";

    /// <summary>The largest audio file wanted (a Discord attachment limit); null for the renderer's default.</summary>
    public long? MaxBytes { get; init; }

    /// <summary>A melody the track starts with: an earlier request's, or one in a MIDI file.</summary>
    public JobOpening? Opening { get; init; }

    /// <summary>
    /// A stream kit rather than one track: the track's style, mood, key, tempo and seed are shared by its
    /// pieces (its length, loop and stinger flags are the kit's own).
    /// </summary>
    public bool Kit { get; init; }
}

/// <summary>
/// Where a track's opening comes from: the lead sheet of an earlier request (written again from its
/// request and seed, exactly) or the melody of a MIDI file (the user's); <see cref="Bars"/> keeps only the
/// first bars (a variation keeps the motif), null keeps all.
/// </summary>
public sealed record JobOpening(string? RequestId, string? MidiPath, int? Bars);

/// <summary>
/// Who asked and where the answer goes. <see cref="Channel"/> picks the <see cref="IResultPublisher"/>
/// (local for the CLI and the web, discord for the bot); <see cref="Data"/> is that publisher's own
/// (for Discord: the application, the interaction token, the channel).
/// </summary>
public sealed record JobOrigin(string Channel, string UserId)
{
    public string? GuildId { get; init; }

    public IReadOnlyDictionary<string, string> Data { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether the finished track may be shown in the public gallery.</summary>
    public bool Public { get; init; }

    /// <summary>
    /// A requester that paces itself (a radio station keeps a fixed number of tracks ahead of its listeners):
    /// the per-user quotas do not apply to it; the global queue limit does.
    /// </summary>
    public bool SelfPaced { get; init; }

    /// <summary>The request this one was made from (a reroll, a variation...), and how.</summary>
    public string? ParentId { get; init; }

    public string? Relation { get; init; }
}

public enum JobState
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>The steps a user sees.</summary>
public enum JobPhase
{
    Queued,
    Planning,
    Generating,
    Rendering,
    Encoding,
    Posting,
    Done,
}

/// <summary>One request and everything known about it.</summary>
public sealed record JobRequest(string Id, JobOrder Order, JobOrigin Origin, DateTimeOffset CreatedUtc)
{
    public JobState State { get; init; } = JobState.Queued;

    public JobPhase Phase { get; init; } = JobPhase.Queued;

    public double Fraction { get; init; }

    public int Attempts { get; init; }

    /// <summary>What went wrong, in words for the user, when <see cref="State"/> is Failed.</summary>
    public string? Error { get; init; }

    public string? ReceiptId { get; init; }

    /// <summary>The files made, by kind (audio, midi, piano_roll, receipt, stem_*), as names in the request's folder.</summary>
    public IReadOnlyDictionary<string, string> Files { get; init; } = new Dictionary<string, string>();

    public string? Worker { get; init; }

    public string? BackgroundJobId { get; init; }

    public DateTimeOffset? StartedUtc { get; init; }

    public DateTimeOffset? FinishedUtc { get; init; }

    /// <summary>The published marker: when the outcome reached the user. Null until then.</summary>
    public DateTimeOffset? PublishedUtc { get; init; }

    public bool IsFinished => State is JobState.Succeeded or JobState.Failed or JobState.Cancelled;
}
