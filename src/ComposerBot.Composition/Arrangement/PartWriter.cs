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
}
