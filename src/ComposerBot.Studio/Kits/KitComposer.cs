using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using ComposerBot.Composition.Requests;
using ComposerBot.Music;
using ComposerBot.Music.IO;
using ComposerBot.Music.LeadSheets;

namespace ComposerBot.Studio.Kits;

/// <summary>
/// A stream kit: pieces that belong together because they share the style (so the instruments), the mood,
/// the key, the meter, the tempo and a motif. The starting-soon loop's melody is written first; its first bars are
/// the motif, and every later piece opens with them as the Variation button does (the generator writes on
/// from there with the piece's own seed). The alerts are two-bar stingers, the motif then a hit: the
/// follow alert plays it as written, the subscription alert an octave higher, the raid alert in the
/// dominant (chords too) so that its hit is a V-I cadence. Loops, the outro and the alerts keep the kit's
/// tempo where whole bars allow it; the stinger and the alerts take the tempo that makes them exact.
/// </summary>
public sealed class KitComposer(TrackComposer composer, TimeProvider time)
{
    /// <summary>Bars of the starting-soon loop that the loops, the outro and the stinger open with.</summary>
    public const int OpeningBars = 2;

    /// <summary>Bars of the motif the alerts carry (and the kit receipt records).</summary>
    public const int MotifBars = 1;

    /// <summary>Pieces made at once after the first: two, so that one's single-threaded steps (sampling, encoding) overlap the other's.</summary>
    private static int Parallelism => Math.Min(2, Environment.ProcessorCount);

    public async Task<KitResult> ComposeAsync(KitOrder order, IProgress<KitProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var resolved = order.Request.Resolve();
        var shared = order.Request with
        {
            Key = resolved.Key,
            Meter = resolved.Meter,
            Tempo = resolved.Tempo,
            Loop = false,
            Stinger = false,
            Stems = false,
            LengthSeconds = null,
            LengthBars = null,
        };
        var secondsPerBar = resolved.Meter.TicksPerBar(LeadSheet.Resolution) / (double)LeadSheet.Resolution * 60 / resolved.Tempo;
        var specs = KitPieceSpec.All;
        var total = specs.Sum(s => s.Seconds);
        var shares = new double[specs.Count];
        var made = new KitPiece?[specs.Count];
        Directory.CreateDirectory(order.OutputDirectory);
        try
        {
            ComposeOrder Order(int i, LeadSheet? motif)
            {
                var spec = specs[i];
                var request = Request(shared, spec, secondsPerBar) with { Seed = i == 0 ? resolved.Seed : StableSeed.Combine(resolved.Seed, i) };
                return new ComposeOrder(request, order.Prompt, order.OutputDirectory, spec.Name, order.Format)
                {
                    Opening = motif is null ? null : spec.Kind == KitPieceKind.Alert ? AlertOpening(motif.FirstBars(MotifBars), spec.Name) : motif,
                    Webm = spec.Kind == KitPieceKind.Stinger,
                };
            }

            IProgress<ComposeProgress>? Progress(int i) => progress is null ? null : new PieceProgress(fraction =>
            {
                lock (shares)
                {
                    shares[i] = specs[i].Seconds * fraction;
                    progress.Report(new KitProgress(i + 1, specs.Count, specs[i].Name, shares.Sum() / total));
                }
            });

            // Only the first piece's melody is needed before the others can start: it is written first, and
            // then all seven pieces (the first one's audio included) are made two at a time, longest first.
            // Each is deterministic on its own: the order they finish in changes no byte.
            var firstDraft = composer.Write(Order(0, null), Progress(0), cancellationToken);
            var opening = firstDraft.Sheet.FirstBars(OpeningBars);
            await Parallel.ForEachAsync(
                Enumerable.Range(0, specs.Count),
                new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                async (i, token) =>
                {
                    var pieceProgress = Progress(i);
                    var result = i == 0
                        ? await composer.ComposeAsync(firstDraft, pieceProgress, token).ConfigureAwait(false)
                        : await composer.ComposeAsync(Order(i, opening), pieceProgress, token).ConfigureAwait(false);
                    pieceProgress?.Report(new ComposeProgress(ComposePhase.Drawing, 1));
                    made[i] = new KitPiece(specs[i], result);
                }).ConfigureAwait(false);
            var pieces = made.Select(p => p!).ToList();

            var receipt = Receipt(order, resolved, opening.FirstBars(MotifBars), pieces);
            var receiptPath = Path.Combine(order.OutputDirectory, "kit.json");
            var readmePath = Path.Combine(order.OutputDirectory, "README.txt");
            await AtomicFile.WriteAsync(receiptPath, (temp, ct) => File.WriteAllTextAsync(temp, StudioJsonContext.Serialize(receipt), ct), cancellationToken).ConfigureAwait(false);
            await AtomicFile.WriteAsync(readmePath, (temp, ct) => File.WriteAllTextAsync(temp, KitReadme.Write(receipt), ct), cancellationToken).ConfigureAwait(false);
            var zipPath = Path.Combine(order.OutputDirectory, order.Name + ".zip");
            await AtomicFile.WriteAsync(zipPath, (temp, ct) => ZipAsync(temp, pieces, receiptPath, readmePath, ct), cancellationToken).ConfigureAwait(false);
            return new KitResult(receipt, pieces, receiptPath, readmePath, zipPath);
        }
        catch
        {
            // Nothing half-made stays behind: a kit is whole or not there (the piece in the making included).
            var names = specs.Select(s => s.Name + ".").ToList();
            foreach (var file in Directory.EnumerateFiles(order.OutputDirectory))
            {
                var name = Path.GetFileName(file);
                if (names.Any(n => name.StartsWith(n, StringComparison.Ordinal)) || name is "kit.json" or "README.txt" || name == order.Name + ".zip")
                {
                    File.Delete(file);
                }
            }

            throw;
        }
    }

    /// <summary>
    /// A piece's request: loops at least their nominal length in whole bars of the kit's tempo, the outro the
    /// nearest whole bars, the stinger and the alerts exact stingers.
    /// </summary>
    private static CompositionRequest Request(CompositionRequest shared, KitPieceSpec spec, double secondsPerBar) => spec.Kind switch
    {
        KitPieceKind.Loop => shared with { Loop = true, LengthBars = Math.Max(4, (int)Math.Ceiling((spec.Seconds / secondsPerBar) - 1e-9)) },
        KitPieceKind.Ending => shared with { LengthBars = Math.Max(4, (int)Math.Round(spec.Seconds / secondsPerBar)) },
        _ => shared with { Stinger = true, LengthSeconds = spec.Seconds },
    };

    /// <summary>The motif as each alert plays it: as written, an octave higher, or in the dominant.</summary>
    private static LeadSheet AlertOpening(LeadSheet motif, string name) => name switch
    {
        "alert-subscription" => Transpose(motif, motif.Melody.Count > 0 && motif.Melody.Max(n => n.Pitch) + 12 > 96 ? -12 : 12, chords: false),
        "alert-raid" => Transpose(motif, 7, chords: true),
        _ => motif,
    };

    private static LeadSheet Transpose(LeadSheet sheet, int semitones, bool chords) => sheet with
    {
        Melody = sheet.Melody.Select(n => n with { Pitch = n.Pitch + semitones }).ToValueList(),
        Chords = chords
            ? sheet.Chords.Select(c => c with { Chord = c.Chord with { Root = (((c.Chord.Root + semitones) % 12) + 12) % 12 } }).ToValueList()
            : sheet.Chords,
    };

    private KitReceipt Receipt(KitOrder order, ResolvedRequest resolved, LeadSheet motif, IReadOnlyList<KitPiece> pieces)
    {
        var ids = string.Join('|', pieces.Select(p => p.Result.Receipt.ReceiptId));
        var notes = motif.Melody.OrderBy(n => n.Start).ToList();
        var inv = CultureInfo.InvariantCulture;
        return new KitReceipt(
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ids)))[..16],
            order.Prompt?.Prompt ?? "",
            StyleProfile.Name(resolved.Style),
            resolved.Mood.ToString().ToLowerInvariant(),
            resolved.Key.Name,
            resolved.Meter.ToString(),
            Math.Round(resolved.Tempo, 3),
            resolved.Seed,
            new KitMotif(motif.Bars, [.. notes.Select(n => string.Create(inv, $"{n.Pitch}@{n.Start}+{n.Duration}"))], [.. notes.Zip(notes.Skip(1), (a, b) => b.Pitch - a.Pitch)]),
            [.. pieces.Select(p => new KitPieceReceipt(
                p.Spec.Name,
                p.Spec.Title,
                p.Spec.Kind.ToString().ToLowerInvariant(),
                p.Result.Receipt.Files.Append(KeyValuePair.Create("receipt", Path.GetFileName(p.Result.ReceiptPath))).ToDictionary(),
                p.Result.Receipt.DurationS,
                p.Result.Receipt.TempoBpm,
                p.Result.Receipt.LoopLengthSamples is not null,
                p.Result.Receipt.TransitionPointMs,
                p.Result.Receipt))],
            TrackComposer.Licence,
            time.GetUtcNow().ToString("O", inv));
    }

    /// <summary>Every piece's files (audio, MIDI, piano roll, WebM, receipt), kit.json and README.txt, in one zip.</summary>
    private static async Task ZipAsync(string path, IReadOnlyList<KitPiece> pieces, string receiptPath, string readmePath, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(receiptPath)!;
        await using var archive = await ZipFile.OpenAsync(path, ZipArchiveMode.Create, cancellationToken).ConfigureAwait(false);
        await archive.CreateEntryFromFileAsync(readmePath, "README.txt", CompressionLevel.Optimal, cancellationToken).ConfigureAwait(false);
        await archive.CreateEntryFromFileAsync(receiptPath, "kit.json", CompressionLevel.Optimal, cancellationToken).ConfigureAwait(false);
        foreach (var piece in pieces)
        {
            foreach (var name in piece.Result.Receipt.Files.Values.Append(Path.GetFileName(piece.Result.ReceiptPath)))
            {
                // Encoded audio and video do not shrink; MIDI, pictures and receipts barely matter.
                await archive.CreateEntryFromFileAsync(Path.Combine(folder, name), name, CompressionLevel.Fastest, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A piece's steps as a fraction of the piece: each of the six steps an equal share.</summary>
    private sealed class PieceProgress(Action<double> report) : IProgress<ComposeProgress>
    {
        public void Report(ComposeProgress value) => report(Math.Clamp(((int)value.Phase + value.Fraction) / Enum.GetValues<ComposePhase>().Length, 0, 1));
    }
}
