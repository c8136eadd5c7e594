using ComposerBot.Music;

namespace ComposerBot.Composition.Arrangement;

/// <summary>
/// Whether the tune stays on top: a melody note is covered when, at its onset, an accompaniment note
/// (harmony or bass) sounds in its octave band (from a major third below it to an octave above) and is not
/// clearly quieter: less than <c>marginDb</c> under it (a note within a few dB in the same band masks it; 0
/// asks only for "louder"). Loudness is the General MIDI curves of velocity and channel volume (40 log10
/// each, in dB).
/// </summary>
public static class MelodyMasking
{
    private const int Below = 4, Above = 12;

    /// <summary>The share of the score's melody notes covered by the accompaniment (0 when it has no melody).</summary>
    public static double CoveredShare(Score score, double marginDb = 0)
    {
        var melody = score.Tracks.FirstOrDefault(t => t.Name == "Melody");
        if (melody is null || melody.Notes.Count == 0)
        {
            return 0;
        }

        var accompaniment = score.Tracks.Where(t => t.Name is "Harmony" or "Bass")
            .SelectMany(t => t.Notes.Select(n => (Note: n, Db: Level(n, t)))).OrderBy(a => a.Note.Start).ToList();
        var covered = 0;
        foreach (var note in melody.Notes)
        {
            var level = Level(note, melody);
            if (accompaniment.Any(a => a.Note.Start <= note.Start && a.Note.End > note.Start
                && a.Note.Pitch >= note.Pitch - Below && a.Note.Pitch <= note.Pitch + Above && a.Db > level - marginDb))
            {
                covered++;
            }
        }

        return (double)covered / melody.Notes.Count;
    }

    /// <summary>A note's level in dB under full scale: velocity and the track's channel volume (controller 7, 100 when unset).</summary>
    public static double Level(Note note, Track track)
    {
        var volume = track.Controls.LastOrDefault(c => c.Kind == ChannelControlKind.Controller && c.Number == PartMix.VolumeController && c.Tick <= note.Start, ChannelControl.Controller(0, 7, 100)).Value;
        return (40 * Math.Log10(Math.Max(1, note.Velocity) / 127.0)) + (40 * Math.Log10(Math.Max(1, volume) / 127.0));
    }
}
