using System.Text.Json;
using System.Text.Json.Serialization;
using ComposerBot.Generation.Tokens;
using ComposerBot.Music;
using ComposerBot.Music.IO;
using ComposerBot.Music.LeadSheets;
using ComposerBot.Music.Metrics;

namespace ComposerBot.Generation.Neural;

/// <summary>
/// Logit offsets, fitted for one model's weights, that bring its sampled melodies' step sizes and note
/// lengths to those of human tunes: <see cref="IntervalBias"/> by the size of the step from the last melody
/// note (0-12 semitones, the last entry for anything larger), <see cref="DurationBias"/> by a note's length in
/// grid steps (12 per quarter). <see cref="SixteenthShare"/> is, per feel ("*" for any other), the share of
/// human tunes with sixteenth notes in them: the sampler decides once per melody, by its seed, whether it
/// may have any (a whole tune's choice, which a note-by-note sampler does not make; most human tunes have
/// none). <c>composerbot calibrate</c> fits them on the corpus's valid split, so the test split stays unseen;
/// the file names the weights it was fitted for and what it measured before and after.
/// </summary>
public sealed record SamplingCalibration(
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("model_sha256")] string ModelSha256,
    [property: JsonPropertyName("interval_bias")] IReadOnlyList<double> IntervalBias,
    [property: JsonPropertyName("duration_bias")] IReadOnlyList<double> DurationBias,
    [property: JsonPropertyName("fit")] CalibrationFit Fit,
    [property: JsonPropertyName("sixteenth_share"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, double>? SixteenthShare = null)
{
    public const string FileName = "sampling-calibration.json";
    public const string CurrentFormat = "composerbot-sampling-calibration-v1";

    /// <summary>Step sizes 0..12 semitones, then one bin for every larger step.</summary>
    public const int IntervalBins = 14;

    /// <summary>Note lengths 0..the longest the tokenizer writes, in grid steps (0 is never used).</summary>
    public const int DurationBins = LeadSheetTokenizer.MaxDurationSteps + 1;

    /// <summary>The shortest note and onset spacing, in grid steps, of a melody that may not have sixteenths: a triplet eighth.</summary>
    public const int PlainShortestSteps = LeadSheetTokenizer.StepsPerQuarter / 3;

    /// <summary>
    /// The shortest note the melody of this seed and feel may have: none (0) when the seed's draw falls under
    /// the feel's share of tunes with sixteenths, else <see cref="PlainShortestSteps"/>; 0 without shares.
    /// </summary>
    public int ShortestSteps(int seed, string feel)
    {
        if (SixteenthShare is not { Count: > 0 } shares)
        {
            return 0;
        }

        var share = shares.TryGetValue(feel, out var s) ? s : shares.TryGetValue(AnyFeel, out var any) ? any : 1;
        var draw = new Random(StableSeed.Combine(seed, 16)).NextDouble();
        return draw < share ? 0 : PlainShortestSteps;
    }

    private static readonly int SixteenthClass = Array.IndexOf(DurationClass.Names, "1/16");

    /// <summary>The <see cref="SixteenthShare"/> key of every feel without its own.</summary>
    public const string AnyFeel = "*";

    /// <summary>Whether a melody has a note of sixteenth length (the 1/16 class of <see cref="DurationClass"/>), a note lasting at most until the next starts.</summary>
    public static bool HasSixteenths(LeadSheet sheet)
    {
        var melody = sheet.Melody;
        return Enumerable.Range(0, melody.Count).Any(i => DurationClass.Of(SoundingLength(melody, i), LeadSheet.Resolution) == SixteenthClass);
    }

    /// <summary>How long note <paramref name="i"/> of a melody sounds: its length, cut where the next note starts (as the composer decodes its melodies).</summary>
    private static long SoundingLength(IReadOnlyList<Note> melody, int i) =>
        i + 1 < melody.Count ? Math.Min(melody[i].Duration, melody[i + 1].Start - melody[i].Start) : melody[i].Duration;

    /// <summary>The bin of a step between two pitches.</summary>
    public static int IntervalBin(int from, int to) => Math.Min(Math.Abs(to - from), IntervalBins - 1);

    /// <summary>
    /// A melody's steps and note lengths, counted into the calibration's bins; a note lasts at most until the
    /// next one starts (as the composer decodes its melodies), on the tokenizer's grid.
    /// </summary>
    public static (double[] Intervals, double[] Durations) Histograms(IEnumerable<LeadSheet> sheets)
    {
        var intervals = new double[IntervalBins];
        var durations = new double[DurationBins];
        foreach (var sheet in sheets)
        {
            var melody = sheet.Melody;
            for (var i = 0; i < melody.Count; i++)
            {
                var steps = (int)Math.Round((double)SoundingLength(melody, i) / LeadSheetTokenizer.TicksPerStep, MidpointRounding.AwayFromZero);
                durations[Math.Clamp(steps, 1, DurationBins - 1)]++;
                if (i > 0)
                {
                    intervals[IntervalBin(melody[i - 1].Pitch, melody[i].Pitch)]++;
                }
            }
        }

        return (intervals, durations);
    }

    /// <summary>Reads a calibration file; null when it is missing or fitted for other weights.</summary>
    public static SamplingCalibration? LoadFor(string path, string modelSha256)
    {
        if (FittedFile.Read(path, CalibrationJsonContext.Default.SamplingCalibration, "sampling calibration") is not { } calibration)
        {
            return null;
        }

        if (calibration is not { Format: CurrentFormat, IntervalBias.Count: IntervalBins, DurationBias.Count: DurationBins, Fit: not null, ModelSha256: not null })
        {
            throw new ModelLoadException($"{path} is not a {CurrentFormat} sampling calibration.");
        }

        return FittedFile.IfFittedFor(calibration, calibration.ModelSha256, modelSha256);
    }

    public void Save(string path) =>
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, this, CalibrationJsonContext.Default.SamplingCalibration));
}

/// <summary>How a calibration was fitted and what it measured: the distance (total variation) between the sampled and the human histograms, before and after.</summary>
public sealed record CalibrationFit(
    [property: JsonPropertyName("split")] string Split,
    [property: JsonPropertyName("pieces")] int Pieces,
    [property: JsonPropertyName("iterations")] int Iterations,
    [property: JsonPropertyName("seed")] int Seed,
    [property: JsonPropertyName("interval_distance_before")] double IntervalDistanceBefore,
    [property: JsonPropertyName("interval_distance_after")] double IntervalDistanceAfter,
    [property: JsonPropertyName("duration_distance_before")] double DurationDistanceBefore,
    [property: JsonPropertyName("duration_distance_after")] double DurationDistanceAfter,
    [property: JsonPropertyName("created")] DateTimeOffset Created);

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(SamplingCalibration))]
internal sealed partial class CalibrationJsonContext : JsonSerializerContext;
