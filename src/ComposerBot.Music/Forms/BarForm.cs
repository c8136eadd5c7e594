namespace ComposerBot.Music.Forms;

/// <summary>
/// A melody's form bar by bar: for each bar, the earlier bar it restates (or -1), how (exactly, transposed by
/// <see cref="Shifts"/> semitones, or as a variation). Found in a tune by <see cref="MelodyStructure.FormOf"/>;
/// followed by the neural composer's grammar when it writes a tune with that form.
/// </summary>
public sealed record BarForm(ValueList<int> Sources, ValueList<BarRelation> Relations, ValueList<int> Shifts)
{
    public int Bars => Sources.Count;

    /// <summary>A form in which every bar is new.</summary>
    public static BarForm Free(int bars) => new(Enumerable.Repeat(-1, bars).ToValueList(), Enumerable.Repeat(BarRelation.New, bars).ToValueList(), Enumerable.Repeat(0, bars).ToValueList());

    /// <summary>
    /// This form fitted to <paramref name="bars"/> bars: cut when longer; when shorter, repeated as a whole,
    /// each later round restating bars of its own round only (its first bars are new).
    /// </summary>
    public BarForm FitTo(int bars)
    {
        var sources = new int[bars];
        var relations = new BarRelation[bars];
        var shifts = new int[bars];
        for (var b = 0; b < bars; b++)
        {
            var round = b / Bars * Bars;
            var i = b % Bars;
            sources[b] = Sources[i] < 0 ? -1 : Sources[i] + round;
            relations[b] = Relations[i];
            shifts[b] = Shifts[i];
        }

        return new BarForm(sources.ToValueList(), relations.ToValueList(), shifts.ToValueList());
    }

    /// <summary>The letters of the form, one per bar: each new bar a new letter (A-Z, then AA, AB, ...), a restated bar its source's letter (with ' for a variation and ~ for a transposition).</summary>
    public string Letters()
    {
        var names = new string[Bars];
        var next = 0;
        for (var b = 0; b < Bars; b++)
        {
            names[b] = Sources[b] < 0 ? Name(next++) : names[Sources[b]];
        }

        return string.Join(' ', Enumerable.Range(0, Bars).Select(b => names[b] + (Sources[b] < 0 ? "" : Relations[b] switch { BarRelation.Variation => "'", BarRelation.Transposed => "~", _ => "" })));

        static string Name(int index) => index < 26 ? ((char)('A' + index)).ToString() : Name((index / 26) - 1) + (char)('A' + (index % 26));
    }
}
