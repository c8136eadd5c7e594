using ComposerBot.Composition.Requests;
using ComposerBot.Music;
using ComposerBot.Music.LeadSheets;

namespace ComposerBot.Composition.Planning;

/// <summary>
/// Gives a generated lead sheet the plan's form: A' restates A, a loop's last chord is the dominant that
/// leads back to the first bar, a stinger's hit bar holds the tonic.
/// </summary>
public static class FormShaper
{
    public static LeadSheet Shape(LeadSheet sheet, FormPlan plan)
    {
        var bar = sheet.TicksPerBar;
        var melody = sheet.Melody.ToList();
        var chords = sheet.Chords.ToList();
        var a = plan.Sections.FirstOrDefault(s => s.Name == "A");
        var reprise = plan.Sections.FirstOrDefault(s => s.Name == "A'");
        if (a is not null && reprise is not null)
        {
            var length = Math.Min(a.Bars, reprise.Bars);
            // At least one bar of A' stays as generated when A' is the last section, so the piece still ends on the tonic.
            if (plan.Sections[^1] == reprise && length == reprise.Bars)
            {
                length--;
            }

            var (from, to, end) = (a.StartBar * bar, reprise.StartBar * bar, (reprise.StartBar + length) * bar);
            var shift = to - from;
            melody.RemoveAll(n => n.Start >= to && n.Start < end);
            melody.AddRange(sheet.Melody.Where(n => n.Start >= from && n.Start < from + (length * bar)).Select(n => n with { Start = n.Start + shift, Duration = Math.Min(n.Duration, end - n.Start - shift) }));
            chords = [.. chords.Select(c => c.Start >= to && c.Start < end ? c with { Chord = sheet.ChordAt(c.Start - shift) ?? c.Chord } : c)];
            melody = CutOverlaps(melody);
        }

        var tonicChord = new Chord(sheet.Key.Tonic, sheet.Key.Mode == KeyMode.Minor ? ChordQuality.Minor : ChordQuality.Major);
        if (plan.Request.Loop && chords.Count > 1)
        {
            // The turnaround: the dominant seventh leads back into the tonic of bar 1.
            chords[^1] = chords[^1] with { Chord = new Chord((sheet.Key.Tonic + 7) % 12, ChordQuality.Dominant7) };
            chords[0] = chords[0] with { Chord = tonicChord };
        }

        if (plan.Request.Stinger)
        {
            var hit = (plan.Bars - 1) * bar;
            var last = melody.LastOrDefault(n => n.Start < hit);
            melody.RemoveAll(n => n.Start >= hit);
            melody = [.. melody.Select(n => n.End > hit ? n with { Duration = hit - n.Start } : n)];
            var pitch = last.Duration > 0 ? NearestPitchClass(last.Pitch, sheet.Key.Tonic) : 72 + sheet.Key.Tonic;
            melody.Add(new Note(pitch, hit, bar, 110));
            chords = [.. chords.Select(c => c.Start >= hit ? c with { Chord = tonicChord } : c)];
        }

        return sheet with { Melody = Track.Sort(melody), Chords = chords.ToValueList() };
    }

    private static List<Note> CutOverlaps(List<Note> notes)
    {
        var sorted = notes.OrderBy(n => n.Start).ToList();
        for (var i = 0; i + 1 < sorted.Count; i++)
        {
            if (sorted[i].End > sorted[i + 1].Start)
            {
                sorted[i] = sorted[i] with { Duration = Math.Max(1, sorted[i + 1].Start - sorted[i].Start) };
            }
        }

        return [.. sorted.Where(n => n.Duration > 0)];
    }

    private static int NearestPitchClass(int pitch, int pitchClass)
    {
        var below = pitch - ((((pitch - pitchClass) % 12) + 12) % 12);
        return pitch - below <= 6 ? below : below + 12;
    }
}
