using System.Globalization;
using ComposerBot.Bot.Autocomplete;
using ComposerBot.Composition.Prompts;
using ComposerBot.Composition.Requests;
using ComposerBot.Discord.Modules;
using ComposerBot.Jobs;
using ComposerBot.Music.LeadSheets;
using ComposerBot.Music.Midi;
using ComposerBot.Rendering.Encoding;
using ComposerBot.Studio;

namespace ComposerBot.Bot.Modules;

/// <summary>/compose, /stinger, /streamkit, /continue and the buttons under a finished track.</summary>
public sealed class ComposeModule(TrackRequests requests, JobClient jobs, ArtifactStore artifacts, IHttpClientFactory http) : TrackModuleBase
{
    /// <summary>The largest MIDI file /continue takes.</summary>
    public const long MaxMidiBytes = 1024 * 1024;

    /// <summary>How many bars of the user's melody a continuation keeps.</summary>
    public const int MaxOpeningBars = 16;

    [SlashCommand("compose", "Compose an original track from a description")]
    public Task Compose(
        [Summary("What to compose: style, mood, length, tempo, key, loop... e.g. tense chiptune boss fight, 45 s")] string prompt,
        [Summary("The style (overrides the prompt)"), Autocomplete(typeof(StyleSuggestions))] string? style = null,
        [Summary("The mood (overrides the prompt)")] Mood? mood = null,
        [Summary("Seconds or bars: 45s, 2 min, 1:30, 16 bars")] string? length = null,
        [Summary("Beats per minute"), Range(40, 240)] int? tempo = null,
        [Summary("A key such as D minor"), Autocomplete(typeof(KeySuggestions))] string? key = null,
        [Summary("A seamless loop")] bool? loop = null,
        [Summary("The same seed gives the same track")] int? seed = null,
        [Summary("The audio format (mp3 by default)")] AudioFormat? format = null,
        [Summary("A feel: jig, reel, waltz, hornpipe, chorale..."), Autocomplete(typeof(FeelSuggestions))] string? feel = null,
        CancellationToken cancellationToken = default)
    {
        TrackOptions track;
        try
        {
            track = new TrackOptions
            {
                Prompt = prompt,
                Style = style is null ? null : TrackRequests.ParseStyle(style),
                Mood = mood,
                Length = length,
                Tempo = tempo,
                Key = key,
                Loop = loop ?? false,
                Feel = feel,
                Seed = seed ?? NewSeed(),
            };
        }
        catch (CompositionException ex)
        {
            return ReplyPrivatelyAsync(ex.Message, cancellationToken);
        }

        return requests.SubmitAsync(this, track, Format(format), prompt, cancellationToken: cancellationToken);
    }

    [SlashCommand("stinger", "A 1-10 second jingle that ends on a hit")]
    public Task Stinger(
        [Summary("The style"), Autocomplete(typeof(StyleSuggestions))] string? style = null,
        [Summary("Seconds (1-10)"), Range(1, 10)] int length = 3,
        [Summary("The mood")] Mood? mood = null,
        CancellationToken cancellationToken = default)
    {
        if (!TryStyle(style, out var chosen, out var error))
        {
            return ReplyPrivatelyAsync(error, cancellationToken);
        }

        var track = new TrackOptions { Style = chosen, Mood = mood, Stinger = true, Length = $"{length} s", Seed = NewSeed() };
        return requests.SubmitAsync(this, track, "mp3", $"{length} s stinger" + Describe(chosen, mood), cancellationToken: cancellationToken);
    }

    [SlashCommand("streamkit", "A stream kit: loops, an outro, a stinger and alerts on one motif, zipped for OBS")]
    public Task StreamKit(
        [Summary("The style"), Autocomplete(typeof(StyleSuggestions))] string? style = null,
        [Summary("The mood")] Mood? mood = null,
        [Summary("The same seed gives the same kit")] int? seed = null,
        CancellationToken cancellationToken = default)
    {
        if (!TryStyle(style, out var chosen, out var error))
        {
            return ReplyPrivatelyAsync(error, cancellationToken);
        }

        var track = new TrackOptions { Style = chosen, Mood = mood, Seed = seed ?? NewSeed() };
        return requests.SubmitAsync(this, track, "mp3", "Stream kit" + Describe(chosen, mood), kit: true, cancellationToken: cancellationToken);
    }

    /// <summary>A style option read (null when not given); false with the reason for one that is not a style.</summary>
    private static bool TryStyle(string? style, out Style? chosen, out string error)
    {
        (chosen, error) = (null, "");
        try
        {
            chosen = style is null ? null : TrackRequests.ParseStyle(style);
            return true;
        }
        catch (CompositionException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    /// <summary>", lo-fi, calm" for a title: the style and mood asked for, where given.</summary>
    private static string Describe(Style? style, Mood? mood) =>
        (style is { } s ? $", {StyleProfile.Name(s)}" : "") + (mood is { } m ? $", {m.ToString().ToLowerInvariant()}" : "");

    [SlashCommand("continue", "Continue your melody (a MIDI file) in a style")]
    public async Task Continue(
        [Summary("A MIDI file (up to 1 MB and 20,000 notes) whose melody to continue")] Attachment midi,
        [Summary("The style"), Autocomplete(typeof(StyleSuggestions))] string? style = null,
        [Summary("How much to add, in seconds or minutes (30 s by default)")] string? length = null,
        CancellationToken cancellationToken = default)
    {
        if (midi.Size > MaxMidiBytes)
        {
            await ReplyPrivatelyAsync(string.Create(CultureInfo.InvariantCulture, $"{midi.Filename} is {midi.Size / 1024.0:0} KB; /continue takes MIDI files up to 1 MB."), cancellationToken).ConfigureAwait(false);
            return;
        }

        LeadSheet opening;
        string path;
        Style? chosen;
        double addSeconds;
        try
        {
            chosen = style is null ? null : TrackRequests.ParseStyle(style);
            addSeconds = length is null ? 30 : Seconds(length);
            var bytes = await AttachmentDownload.ReadAsync(http, midi.Url, MaxMidiBytes, "The file is over 1 MB; /continue takes MIDI files up to 1 MB.", cancellationToken).ConfigureAwait(false);
            var score = MidiFileReader.Read(bytes, ComposeJob.OpeningLimits);
            opening = (LeadSheetExtractor.Extract(score) ?? throw new CompositionException($"{midi.Filename} has no melody to continue (no pitched notes).")).FirstBars(MaxOpeningBars);
            path = artifacts.UploadPath(".mid");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, bytes, cancellationToken).ConfigureAwait(false);
        }
        catch (MidiFormatException ex)
        {
            await ReplyPrivatelyAsync($"{midi.Filename} is not a MIDI file I can read: {ex.Message}", cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (ex is CompositionException or HttpRequestException or InvalidDataException)
        {
            await ReplyPrivatelyAsync(ex.Message, cancellationToken).ConfigureAwait(false);
            return;
        }

        var bpm = Math.Clamp(opening.Bpm, CompositionRequest.MinTempo, CompositionRequest.MaxTempo);
        var openingSeconds = opening.Bars * (opening.TicksPerBar / (double)LeadSheet.Resolution) * 60 / bpm;
        var track = new TrackOptions
        {
            Style = chosen,
            Key = opening.Key.Name,
            Meter = $"{opening.Meter.Numerator}/{opening.Meter.Denominator}",
            Tempo = Math.Round(bpm, 2),
            Length = string.Create(CultureInfo.InvariantCulture, $"{openingSeconds + addSeconds:0.#} s"),
            Seed = NewSeed(),
        };
        await requests.SubmitAsync(this, track, "mp3", $"{Path.GetFileNameWithoutExtension(midi.Filename)}, continued", new JobOpening(null, path, opening.Bars), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The buttons under a track: each makes a new track from it, linked to it.</summary>
    [ComponentInteraction("track:*:*")]
    public async Task TrackButton(string action, string requestId, CancellationToken cancellationToken = default)
    {
        var parent = await jobs.GetAsync(requestId, cancellationToken).ConfigureAwait(false);
        if (parent is not { State: JobState.Succeeded } || artifacts.PathOf(parent, "receipt") is not { } receiptPath || !File.Exists(receiptPath))
        {
            await ReplyPrivatelyAsync("That track is no longer here to build on; compose a new one with /compose.", cancellationToken).ConfigureAwait(false);
            return;
        }

        var receipt = StudioJsonContext.Deserialize(await File.ReadAllTextAsync(receiptPath, cancellationToken).ConfigureAwait(false));
        var track = parent.Order.Track;
        // The parent's key, meter and tempo as resolved, so that a new seed cannot move them.
        var same = track with { Key = receipt.Key, Meter = receipt.Meter, Tempo = receipt.TempoBpm };
        var title = parent.Origin.Data.GetValueOrDefault("title") ?? track.Prompt;
        var (next, opening, label) = action switch
        {
            "reroll" => (track with { Seed = NewSeed() }, null, "reroll"),
            "vary" => (same with { Seed = NewSeed() }, new JobOpening(requestId, null, Math.Min(2, receipt.Bars - 1)), "variation"),
            "extend" => (same with { Length = $"{receipt.Bars + ExtraBars(receipt, 30)} bars" }, new JobOpening(requestId, null, null), "extended"),
            "loop" => (same with { Loop = true, Stinger = false }, (JobOpening?)null, "loop"),
            "stinger" => (same with { Stinger = true, Loop = false, Length = "5 s", Tempo = null }, null, "stinger"),
            "stems" => (track with { Stems = true }, null, "stems"),
            _ => (null, null, ""),
        };
        if (next is null)
        {
            await ReplyPrivatelyAsync($"Unknown button '{action}'.", cancellationToken).ConfigureAwait(false);
            return;
        }

        await requests.SubmitAsync(this, next, parent.Order.Format, $"{title} ({label})", opening, requestId, action, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whole bars at the track's own tempo that come nearest to <paramref name="seconds"/> (the tempo is kept exactly).</summary>
    private static int ExtraBars(Receipt receipt, double seconds)
    {
        var quartersPerBar = PromptParser.ParseMeterOption(receipt.Meter).TicksPerBar(480) / 480.0;
        return Math.Max(1, (int)Math.Round(seconds / (quartersPerBar * 60 / receipt.TempoBpm)));
    }

    private static string Format(AudioFormat? format) => (format ?? AudioFormat.Mp3).ToString().ToLowerInvariant();

    private static int NewSeed() => Random.Shared.Next(1, 1_000_000);

    private static double Seconds(string length)
    {
        var (seconds, bars) = PromptParser.ParseLengthOption(length);
        return seconds ?? throw new CompositionException($"give /continue's length in seconds or minutes ('30 s', '1 min'), not bars ({bars}).");
    }
}
