using System.Globalization;
using System.IO.Compression;
using ComposerBot.Composition.Requests;
using ComposerBot.Music;
using ComposerBot.Music.LeadSheets;
using ComposerBot.Music.Midi;
using ComposerBot.Rendering;
using ComposerBot.Rendering.Encoding;
using ComposerBot.Studio.Kits;
using ComposerBot.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ComposerBot.Studio.Tests;

/// <summary>One stream kit, composed once for the class (seven pieces), checked piece by piece.</summary>
public sealed class KitFixture : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();

    public KitResult Kit { get; private set; } = null!;

    public string Folder => _dir.Path;

    public static readonly CompositionRequest Request = new() { Style = Style.Rock, Mood = Mood.Happy, Seed = 11 };

    public async Task InitializeAsync()
    {
        using var studio = new StudioFixture();
        Kit = await studio.Services.GetRequiredService<KitComposer>().ComposeAsync(new KitOrder(Request, null, _dir.Path, "rock-kit", AudioFormat.Ogg));
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class KitComposerTests(KitFixture fixture) : IClassFixture<KitFixture>
{
    private KitResult Kit => fixture.Kit;

    private string PathOf(KitPieceReceipt piece, string kind) => Path.Combine(fixture.Folder, piece.Files[kind]);

    private KitPieceReceipt Piece(string name) => Kit.Receipt.Pieces.Single(p => p.Name == name);

    [Fact]
    public void A_kit_holds_the_seven_pieces_in_one_key_style_and_meter_and_the_waiting_music_keeps_its_tempo()
    {
        Assert.Equal(["starting-soon", "be-right-back", "outro", "stinger", "alert-follow", "alert-subscription", "alert-raid"], Kit.Receipt.Pieces.Select(p => p.Name));
        foreach (var piece in Kit.Receipt.Pieces)
        {
            Assert.Equal(Kit.Receipt.Key, piece.Receipt.Key);
            Assert.Equal(Kit.Receipt.Meter, piece.Receipt.Meter);
            Assert.Equal(Kit.Receipt.Style, piece.Receipt.Style);
            Assert.True(File.Exists(PathOf(piece, "audio")), piece.Name);
            Assert.True(File.Exists(PathOf(piece, "receipt")), piece.Name);
        }

        foreach (var name in new[] { "starting-soon", "be-right-back", "outro" })
        {
            Assert.Equal(Kit.Receipt.TempoBpm, Piece(name).TempoBpm, 0.001);
        }

        // Each piece is the kit's instruments: the same program on every track of the same name.
        var programs = Kit.Receipt.Pieces.Select(p => MidiFileReader.Read(PathOf(p, "midi")).Tracks.Where(t => !t.IsDrum).ToDictionary(t => t.Name, t => t.Program)).ToList();
        Assert.All(programs, p => Assert.Equal(programs[0]["Melody"], p["Melody"]));
    }

    [Fact]
    public void Every_piece_is_at_minus_14_lufs_with_its_true_peak_at_most_minus_1_dbtp()
    {
        foreach (var piece in Kit.Receipt.Pieces)
        {
            // Our meter on the master (the receipt), and ffmpeg's EBU R128 meter on the decoded file as a second opinion.
            Assert.InRange(piece.Receipt.LoudnessLufs, -14.5, -13.5);
            Assert.True(piece.Receipt.TruePeakDbtp <= -1.0, $"{piece.Name}: true peak {piece.Receipt.TruePeakDbtp} dBTP");
            var (lufs, _) = ExternalTools.Ebur128(PathOf(piece, "audio"));
            Assert.True(Math.Abs(lufs + 14) <= 1.0, $"{piece.Name}: ffmpeg measured {lufs} LUFS");
        }
    }

    [Fact]
    public void The_waiting_loops_are_a_minute_or_two_and_pass_the_seam_check_and_the_outro_ends()
    {
        foreach (var name in new[] { "starting-soon", "be-right-back" })
        {
            var piece = Piece(name);
            Assert.True(piece.Loop);
            Assert.InRange(ExternalTools.DurationSeconds(PathOf(piece, "audio")), 60, 120);
            var audio = PcmFile.Read(PathOf(piece, "audio"));
            var (seam, interior) = LoopSeam.Measure(audio);
            Assert.True(seam <= interior, $"{name}: seam {seam:0.0000} above the interior's {interior:0.0000}");
        }

        var outro = Piece("outro");
        Assert.False(outro.Loop);
        Assert.InRange(outro.DurationS, 27, 33);
        Assert.Equal("ending", outro.Receipt.Sections[^1].Split(' ')[0]);
    }

    [Fact]
    public void The_stinger_is_exactly_3_s_with_its_obs_transition()
    {
        var stinger = Piece("stinger");
        Assert.Equal(3, ExternalTools.DurationSeconds(PathOf(stinger, "audio")), 0.02);
        Assert.Equal(3, ExternalTools.DurationSeconds(PathOf(stinger, "webm")), 0.05);
        Assert.InRange(stinger.TransitionPointMs!.Value, 500, 2900);
    }

    [Fact]
    public void The_three_alerts_last_1_to_3_s_exactly_differ_from_one_another_and_end_cleanly()
    {
        var alerts = Kit.Receipt.Pieces.Where(p => p.Kind == "alert").ToList();
        Assert.Equal(3, alerts.Count);
        foreach (var alert in alerts)
        {
            var seconds = ExternalTools.DurationSeconds(PathOf(alert, "audio"));
            Assert.InRange(seconds, 1, 3.02);
            Assert.Equal(alert.DurationS, seconds, 0.02);

            // Ends cleanly, without a click: the last millisecond is 30 dB under the hit, the last sample near silence.
            var audio = PcmFile.Read(PathOf(alert, "audio"));
            var hit = (int)(alert.TransitionPointMs!.Value / 1000 * audio.SampleRate) * 2;
            var tail = audio.Samples.Length - (audio.SampleRate / 1000 * 2);
            double Rms(int from, int to) => Math.Sqrt(audio.Samples.Skip(from).Take(to - from).Average(s => (double)s * s));
            var drop = 20 * Math.Log10(Rms(tail, audio.Samples.Length) / Rms(hit, hit + (audio.SampleRate / 5 * 2)));
            Assert.True(drop < -30, $"{alert.Name}: the last millisecond is only {drop:0.0} dB under the hit");
            Assert.True(Math.Abs(audio.Samples[^1]) < 0.01, $"{alert.Name} ends on {audio.Samples[^1]}");
        }

        // Distinct: no two alerts have the same melody (pitches) or the same length.
        var melodies = alerts.Select(a => string.Join(',', Melody(a).Select(n => n.Pitch))).ToList();
        Assert.Equal(3, melodies.Distinct().Count());
        Assert.Equal(3, alerts.Select(a => a.DurationS).Distinct().Count());
    }

    [Fact]
    public void Every_piece_plays_the_kits_motif_in_its_rhythm_as_written_or_transposed()
    {
        var motif = Motif(Kit.Receipt.Motif);
        Assert.True(motif.Count >= 3, $"the motif has {motif.Count} notes");
        foreach (var piece in Kit.Receipt.Pieces)
        {
            Assert.True(Contains(Melody(piece), motif), $"{piece.Name} does not play the motif {string.Join(' ', Kit.Receipt.Motif.Notes)}");
        }

        // The check can fail: one note a semitone off, or one onset an eighth late, is another motif.
        var moved = motif.Select((n, i) => i == motif.Count / 2 ? n with { Pitch = n.Pitch + 1 } : n).ToList();
        var late = motif.Select((n, i) => i == motif.Count - 1 ? n with { Start = n.Start + (LeadSheet.Resolution / 2) } : n).ToList();
        Assert.True(Contains(motif, motif));
        Assert.False(Contains(motif, moved));
        Assert.False(Contains(motif, late));
    }

    [Fact]
    public void The_zip_holds_every_pieces_files_the_kit_receipt_and_an_obs_readme()
    {
        using var zip = ZipFile.OpenRead(Kit.ZipPath);
        var names = zip.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("README.txt", names);
        Assert.Contains("kit.json", names);
        foreach (var piece in Kit.Receipt.Pieces)
        {
            Assert.All(piece.Files.Values, f => Assert.Contains(f, names));
        }

        Assert.Contains("stinger.webm", names);
        using var reader = new StreamReader(zip.GetEntry("kit.json")!.Open());
        var receipt = StudioJsonContext.DeserializeKit(reader.ReadToEnd());
        Assert.Equal(Kit.Receipt.KitId, receipt.KitId);
        Assert.Equal(7, receipt.Pieces.Count);

        var readme = File.ReadAllText(Kit.ReadmePath);
        Assert.Contains("Stinger", readme);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"Transition Point {Piece("stinger").TransitionPointMs:0}"), readme);
        Assert.Contains("Media Source", readme);
    }

    [Fact]
    public async Task The_same_request_and_seed_give_the_same_kit_byte_for_byte_though_its_pieces_are_made_side_by_side()
    {
        using var studio = new StudioFixture();
        using var dir = new TempDirectory();
        var again = await studio.Services.GetRequiredService<KitComposer>().ComposeAsync(new KitOrder(KitFixture.Request, null, dir.Path, "rock-kit", AudioFormat.Ogg));
        Assert.Equal(Kit.Receipt.KitId, again.Receipt.KitId);
        foreach (var piece in Kit.Receipt.Pieces)
        {
            Assert.True(File.ReadAllBytes(PathOf(piece, "midi")).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(dir.Path, piece.Files["midi"]))), $"{piece.Name}: the MIDI differs");

            // Ogg streams carry a random serial number: the decoded samples are what must match.
            Assert.True(PcmFile.Read(PathOf(piece, "audio")).Samples.AsSpan().SequenceEqual(PcmFile.Read(Path.Combine(dir.Path, piece.Files["audio"])).Samples), $"{piece.Name}: the audio differs");
        }
    }

    [Fact]
    public async Task A_kit_cancelled_half_way_leaves_no_files_behind()
    {
        using var studio = new StudioFixture();
        using var dir = new TempDirectory();
        using var stop = new CancellationTokenSource();
        var progress = new Stopper(p =>
        {
            if (p.Piece >= 3)
            {
                stop.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => studio.Services.GetRequiredService<KitComposer>().ComposeAsync(
            new KitOrder(new CompositionRequest { Style = Style.Piano, Seed = 3 }, null, dir.Path, "k", AudioFormat.Ogg), progress, stop.Token));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    /// <summary>The melody track's notes, in lead-sheet ticks (24 per quarter), in order.</summary>
    private List<Note> Melody(KitPieceReceipt piece)
    {
        var score = MidiFileReader.Read(PathOf(piece, "midi"));
        var scale = score.TempoMap.TicksPerQuarter / (double)LeadSheet.Resolution;
        return [.. score.Tracks.Single(t => t.Name == "Melody").Notes.OrderBy(n => n.Start).Select(n => n with { Start = (long)Math.Round(n.Start / scale) })];
    }

    private static List<Note> Motif(KitMotif motif) => [.. motif.Notes.Select(text =>
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var plus = text.IndexOf('+', StringComparison.Ordinal);
        return new Note(int.Parse(text[..at], CultureInfo.InvariantCulture), long.Parse(text[(at + 1)..plus], CultureInfo.InvariantCulture), long.Parse(text[(plus + 1)..], CultureInfo.InvariantCulture), 100);
    })];

    /// <summary>
    /// Whether the melody plays the motif somewhere: the same intervals between consecutive notes and the
    /// same gaps between onsets (within 2 ticks of 24 per quarter: the humanised timing), at any pitch.
    /// </summary>
    private static bool Contains(List<Note> melody, List<Note> motif)
    {
        for (var i = 0; i + motif.Count <= melody.Count; i++)
        {
            var match = true;
            for (var k = 1; k < motif.Count && match; k++)
            {
                match = melody[i + k].Pitch - melody[i + k - 1].Pitch == motif[k].Pitch - motif[k - 1].Pitch
                    && Math.Abs((melody[i + k].Start - melody[i + k - 1].Start) - (motif[k].Start - motif[k - 1].Start)) <= 2;
            }

            if (match)
            {
                return true;
            }
        }

        return false;
    }

    private sealed class Stopper(Action<KitProgress> report) : IProgress<KitProgress>
    {
        public void Report(KitProgress value) => report(value);
    }
}
