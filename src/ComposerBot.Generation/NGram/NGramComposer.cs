using ComposerBot.Composition;
using ComposerBot.Music;
using ComposerBot.Music.LeadSheets;

namespace ComposerBot.Generation.NGram;

/// <summary>
/// The baseline lead-sheet generator: samples chords then melody from the n-gram model under the same
/// constraints as the neural composer (exact key, meter and bar count; ending on the tonic).
/// </summary>
public sealed class NGramComposer(NGramModel model, string modelId) : ILeadSheetGenerator
{
    private const int LowestPitch = 48;
    private const int HighestPitch = 88;

    public string Name => "ngram";

    public string ModelId => modelId;

    public LeadSheet Generate(LeadSheetSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(spec.Bars, 1);
        var random = new Random(spec.Seed);
        var meter = spec.Meter with { Tick = 0 };
        var empty = new LeadSheet(meter, spec.Key, spec.Bpm, spec.Bars, ValueList.From<Note>([]), ValueList.From<ChordSpan>([]));
        var chords = SampleChords(empty, random, spec.Temperature);
        var melody = SampleMelody(empty, random, spec.Temperature, cancellationToken);
        return empty with { Melody = melody, Chords = chords };
    }

    private ValueList<ChordSpan> SampleChords(LeadSheet sheet, Random random, double temperature)
    {
        var slot = LeadSheet.ChordSlotTicks(sheet.Meter);
        var slots = (int)(sheet.EndTick / slot);
        var symbols = new List<int>();
        var tonicChord = NGramModel.ChordSymbol(new Chord(sheet.Key.Tonic, sheet.Key.Mode == KeyMode.Minor ? ChordQuality.Minor : ChordQuality.Major), sheet.Key.Tonic);
        for (var i = 0; i < slots; i++)
        {
            // The piece opens and closes on the tonic chord.
            symbols.Add(i == 0 || i == slots - 1
                ? tonicChord
                : Sample(model.ChordDistribution(sheet, symbols, i, slots), model.ObservedChordSymbols, _ => true, random, temperature) ?? tonicChord);
        }

        return symbols.Select((s, i) => new ChordSpan(i * slot, slot, NGramModel.ChordFromSymbol(s, sheet.Key.Tonic))).ToValueList();
    }

    private ValueList<Note> SampleMelody(LeadSheet sheet, Random random, double temperature, CancellationToken cancellationToken)
    {
        var end = sheet.EndTick;
        var history = new List<(MelodyEvent Event, long Position)>();
        var notes = new List<Note>();
        long now = 0;
        var basePitch = 60 + sheet.Key.Tonic;
        while (now < end)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var remaining = end - now;
            var position = now % sheet.TicksPerBar;
            var symbol = Sample(
                model.MelodyDistribution(sheet.Key.Mode, sheet.Meter, position, history),
                model.ObservedMelodySymbols,
                s =>
                {
                    var e = MelodyEvent.FromSymbol(s);
                    return e.Ticks <= remaining && basePitch + e.RelativePitch is >= LowestPitch and <= HighestPitch;
                },
                random,
                temperature);
            var next = symbol is { } s ? MelodyEvent.FromSymbol(s) : new MelodyEvent(0, (int)Math.Min(remaining, LeadSheet.Resolution));

            // The last note is the tonic, held to the end: when this note would reach the end, or leave
            // less than a 16th after it.
            if (remaining - next.Ticks < LeadSheet.Resolution / 4)
            {
                var previous = notes.Count > 0 ? notes[^1].Pitch : basePitch;
                notes.Add(new Note(NearestTonic(previous, sheet.Key.Tonic), now, remaining, 90));
                break;
            }

            notes.Add(new Note(basePitch + next.RelativePitch, now, next.Ticks, 90));
            history.Add((next, position));
            now += next.Ticks;
        }

        return notes.ToValueList();
    }

    private static int NearestTonic(int pitch, int tonic)
    {
        var below = pitch - ((((pitch - tonic) % 12) + 12) % 12);
        var nearest = pitch - below <= 6 ? below : below + 12;
        return Math.Clamp(nearest, LowestPitch + ((tonic - LowestPitch % 12 + 12) % 12), HighestPitch);
    }

    /// <summary>Samples among the candidates that pass the filter, with temperature; null when none does.</summary>
    private static int? Sample(double[] probabilities, int[] candidates, Func<int, bool> allowed, Random random, double temperature)
    {
        var choices = new List<(int Symbol, double Weight)>();
        double total = 0;
        for (var i = 0; i < candidates.Length; i++)
        {
            var s = candidates[i];
            if (!allowed(s))
            {
                continue;
            }

            var w = temperature == 1 ? probabilities[i] : Math.Pow(probabilities[i], 1 / temperature);
            choices.Add((s, w));
            total += w;
        }

        if (choices.Count == 0 || total <= 0)
        {
            return null;
        }

        var r = random.NextDouble() * total;
        foreach (var (symbol, weight) in choices)
        {
            r -= weight;
            if (r <= 0)
            {
                return symbol;
            }
        }

        return choices[^1].Symbol;
    }
}
