namespace ComposerBot.Composition.Planning;

/// <summary>A part of the form: its name (intro, A, B, A', ending, build, hit), bars, and energy 0-1.</summary>
public sealed record Section(string Name, int StartBar, int Bars, double Energy)
{
    public int EndBar => StartBar + Bars;
}
