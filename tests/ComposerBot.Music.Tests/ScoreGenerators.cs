using ComposerBot.Music;
using FsCheck;
using FsCheck.Fluent;

namespace ComposerBot.Music.Tests;

/// <summary>
/// Random scores that a MIDI file can carry exactly: any PPQ, tempo and meter changes, an optional key,
/// tracks on distinct channels (a player gives a channel one program at a time, so two parts that share
/// one share its program), overlapping notes of one pitch as long as none is nested inside another.
/// </summary>
public static class ScoreGenerators
{
    public static Arbitrary<Score> Score() => Arb.From(ScoreGen);

    private static readonly Gen<Score> ScoreGen =
        from ppq in Gen.Choose(1, 5000)
        from tempos in TempoGen.ListOf().Select(l => l.ToList())
        from firstTempo in Gen.Choose(60_000, 2_000_000)
        from meters in MeterGen.ListOf().Select(l => l.ToList())
        from hasKey in Gen.Elements(true, false)
        from sharps in Gen.Choose(-7, 7)
        from minor in Gen.Elements(true, false)
        from trackCount in Gen.Choose(1, 5)
        from tracks in TrackGen.ListOf(trackCount).Select(l => l.ToList())
        from firstChannel in Gen.Choose(0, 15)
        select new Score(
            new TempoMap(ppq, [new TempoChange(0, firstTempo), .. tempos.DistinctBy(t => t.Tick).Where(t => t.Tick > 0)]),
            tracks.Select((t, i) => t with { Channel = (firstChannel + i) % 16, IsDrum = (firstChannel + i) % 16 == Track.DrumChannel }),
            meters.DistinctBy(m => m.Tick),
            hasKey ? new KeySignature(sharps, minor ? KeyMode.Minor : KeyMode.Major) : null);

    private static readonly Gen<TempoChange> TempoGen =
        from tick in Gen.Choose(1, 100_000)
        from micros in Gen.Choose(60_000, 2_000_000)
        select new TempoChange(tick, micros);

    private static readonly Gen<MeterChange> MeterGen =
        from tick in Gen.Choose(0, 100_000)
        from numerator in Gen.Choose(1, 15)
        from denominator in Gen.Elements(1, 2, 4, 8, 16, 32)
        select new MeterChange(tick, numerator, denominator);

    private static readonly Gen<Note> NoteGen =
        from pitch in Gen.Choose(0, 127)
        from start in Gen.Choose(0, 60_000)
        from duration in Gen.Choose(1, 8_000)
        from velocity in Gen.Choose(1, 127)
        select new Note(pitch, start, duration, velocity);

    private static readonly Gen<Track> TrackGen =
        from name in Gen.Elements("", "Lead", "Bass", "Pad", "Drums", "Fiddle2")
        from program in Gen.Choose(0, 127)
        from notes in NoteGen.NonEmptyListOf()
        select new Track(name, program, 0, false, WithoutNestedRepeats(notes));

    /// <summary>
    /// MIDI cannot tell which of two overlapping notes of one pitch a note-off ends; a note that starts
    /// and ends inside another of its pitch is ambiguous, so the generator leaves those out.
    /// </summary>
    private static ValueList<Note> WithoutNestedRepeats(IEnumerable<Note> notes) => Track.Sort(
        notes.GroupBy(n => n.Pitch).SelectMany(group =>
        {
            var kept = new List<Note>();
            long latestEnd = 0;
            foreach (var note in group.OrderBy(n => n.Start).ThenBy(n => n.Duration))
            {
                if (note.End >= latestEnd)
                {
                    kept.Add(note);
                    latestEnd = note.End;
                }
            }

            return kept;
        }));
}
