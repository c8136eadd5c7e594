using System.Globalization;
using System.Text;
using System.Text.Json;
using ComposerBot.Composition.Prompts;
using ComposerBot.Jobs;
using ComposerBot.Jobs.Publishing;
using ComposerBot.Jobs.Storage;
using ComposerBot.Studio;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ComposerBot.Web.Radio;

/// <summary>
/// The stream radio: each station is an endless run of fresh tracks (a new seed each), made through the job
/// queue like any other request and kept <see cref="RadioOptions.Ahead"/> tracks ahead of what its page plays,
/// so a worker restart or a slow track never silences it. The station's tracks are its requester's requests
/// in the order they were made; the play log (one JSON line per track started, in the artifacts folder that
/// every process shares) is the record a streamer answers a claim with.
/// </summary>
public sealed partial class RadioService(JobClient jobs, RequestStore store, ArtifactStore artifacts, IOptions<RadioOptions> options, TimeProvider time, ILogger<RadioService> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public void Dispose() => _gate.Dispose();

    public string LogPath => Path.Combine(artifacts.Root, "radio", "plays.jsonl");

    /// <summary>
    /// The track after <paramref name="after"/> (after the last one played when null), with enough requests
    /// queued behind it that <see cref="RadioOptions.Ahead"/> more are on the way.
    /// </summary>
    public async Task<RadioTrack> NextAsync(RadioStation station, string? after, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var tracks = await TracksAsync(station, cancellationToken).ConfigureAwait(false);
            after ??= (await PlaysAsync(station.Id, 1, cancellationToken).ConfigureAwait(false)) is [var last, ..] ? last.RequestId : null;
            var from = after is null ? 0 : tracks.FindIndex(r => r.Id == after) + 1;
            var upcoming = tracks.Skip(from).ToList();
            while (upcoming.Count < options.Value.Ahead + 1)
            {
                upcoming.Add(await SubmitAsync(station, cancellationToken).ConfigureAwait(false));
            }

            var next = upcoming[0];
            var ready = next.State == JobState.Succeeded;
            var receipt = ready ? await ReceiptAsync(next, cancellationToken).ConfigureAwait(false) : null;
            return new RadioTrack(
                next.Id,
                next.ReceiptId,
                receipt is null ? null : Title(receipt),
                ready ? $"/api/requests/{next.Id}/files/audio" : null,
                receipt?.DurationS,
                receipt is not null,
                next.State.ToString().ToLowerInvariant(),
                upcoming.Count - 1,
                Math.Min(options.Value.CrossfadeSeconds, station.TrackSeconds / 4));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>What the station played last and what it has in hand after that.</summary>
    public async Task<RadioStatus> StatusAsync(RadioStation station, CancellationToken cancellationToken)
    {
        var now = (await PlaysAsync(station.Id, 1, cancellationToken).ConfigureAwait(false)) is [var last, ..] ? last : null;
        var tracks = await TracksAsync(station, cancellationToken).ConfigureAwait(false);
        var after = now is null ? tracks : tracks.Skip(tracks.FindIndex(r => r.Id == now.RequestId) + 1).ToList();
        return new RadioStatus(station.Id, station.Name, now, after.Count, after.Count(r => r.State == JobState.Succeeded));
    }

    /// <summary>Records that a station's page started playing one of its tracks; false when it is not a finished track of that station.</summary>
    public async Task<bool> PlayedAsync(RadioStation station, string requestId, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(requestId, cancellationToken).ConfigureAwait(false) is not { State: JobState.Succeeded } request
            || request.Origin.UserId != station.Requester
            || await ReceiptAsync(request, cancellationToken).ConfigureAwait(false) is not { } receipt)
        {
            return false;
        }

        var play = new RadioPlay(time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture), station.Id, request.Id, receipt.ReceiptId, Title(receipt), receipt.DurationS);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(LogPath)!);
            await File.AppendAllTextAsync(LogPath, JsonSerializer.Serialize(play, WebJsonContext.Default.RadioPlay) + "\n", Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }

        LogPlayed(station.Id, receipt.ReceiptId, request.Id);
        return true;
    }

    /// <summary>The station's plays, newest first (every station's when <paramref name="stationId"/> is null).</summary>
    public async Task<IReadOnlyList<RadioPlay>> PlaysAsync(string? stationId, int limit, CancellationToken cancellationToken)
    {
        if (!File.Exists(LogPath))
        {
            return [];
        }

        var plays = new List<RadioPlay>();
        foreach (var line in (await File.ReadAllLinesAsync(LogPath, cancellationToken).ConfigureAwait(false)).Reverse())
        {
            if (line.Length > 0 && JsonSerializer.Deserialize(line, WebJsonContext.Default.RadioPlay) is { } play && (stationId is null || play.Station == stationId))
            {
                plays.Add(play);
                if (plays.Count == limit)
                {
                    break;
                }
            }
        }

        return plays;
    }

    /// <summary>The station's requests that can still play (not failed or cancelled), oldest first.</summary>
    private async Task<List<JobRequest>> TracksAsync(RadioStation station, CancellationToken cancellationToken) =>
        [.. (await store.ForUserAsync(station.Requester, 200, cancellationToken).ConfigureAwait(false))
            .Where(r => r.State is not (JobState.Failed or JobState.Cancelled))
            .OrderBy(r => r.CreatedUtc)];

    private async Task<JobRequest> SubmitAsync(RadioStation station, CancellationToken cancellationToken)
    {
        var track = new TrackOptions
        {
            Style = station.Style,
            Mood = station.Mood,
            Length = string.Create(CultureInfo.InvariantCulture, $"{station.TrackSeconds} s"),
            Seed = Random.Shared.Next(1, 1_000_000),
        };
        var admission = await jobs.SubmitAsync(new JobOrder(track) { Format = "mp3" }, new JobOrigin(LocalResultPublisher.Name, station.Requester) { SelfPaced = true }, cancellationToken).ConfigureAwait(false);
        if (!admission.Accepted)
        {
            throw new RadioBusyException(admission.Reason!);
        }

        LogQueued(station.Id, admission.RequestId!);
        return (await store.GetAsync(admission.RequestId!, cancellationToken).ConfigureAwait(false))!;
    }

    private async Task<Receipt?> ReceiptAsync(JobRequest request, CancellationToken cancellationToken) =>
        artifacts.PathOf(request, "receipt") is { } path && File.Exists(path)
            ? StudioJsonContext.Deserialize(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false))
            : null;

    private static string Title(Receipt receipt) =>
        string.Create(CultureInfo.InvariantCulture, $"{receipt.Style} in {receipt.Key}, {receipt.TempoBpm:0} bpm (seed {receipt.Seed})");

    [LoggerMessage(Level = LogLevel.Information, Message = "Radio {Station}: queued {RequestId}")]
    private partial void LogQueued(string station, string requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Radio {Station}: playing receipt {ReceiptId} (request {RequestId})")]
    private partial void LogPlayed(string station, string receiptId, string requestId);
}

/// <summary>The queue is full: the station cannot queue its next track now.</summary>
public sealed class RadioBusyException(string message) : Exception(message);
