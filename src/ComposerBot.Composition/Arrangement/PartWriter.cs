using ComposerBot.Music;

namespace ComposerBot.Composition.Arrangement;

/// <summary>Collects one part's notes, dropping what falls outside the piece or the MIDI range.</summary>
internal sealed class PartWriter(long end)
{
    private readonly List<Note> _notes = [];

    public void Add(int pitch, long start, long duration, double velocity)
    {
        if (start < 0 || start >= end || duration <= 0 || pitch is < 0 or > 127)
        {
            return;
        }

        _notes.Add(new Note(pitch, start, Math.Min(duration, end - start), Math.Clamp((int)Math.Round(velocity), 1, 127)));
    }

    public IReadOnlyList<Note> Notes => _notes;

    /// <summary>
    /// Moves each note that sounds within a major third under a note of <paramref name="above"/> (or over
    /// it) an octave down, as long as it stays at or above <paramref name="lowest"/>: the bass makes way.
    /// </summary>
    public void MakeWayFor(IReadOnlyList<Note> above, int lowest)
    {
        for (var i = 0; i < _notes.Count; i++)
        {
            var note = _notes[i];
            if (note.Pitch - 12 >= lowest && above.Any(a => a.Start < note.End && a.End > note.Start && note.Pitch >= a.Pitch - 4))
            {
                _notes[i] = note with { Pitch = note.Pitch - 12 };
            }
        }
    }
}
