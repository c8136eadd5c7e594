using ComposerBot.Music;
using ComposerBot.Music.Forms;

namespace ComposerBot.Composition;

/// <summary>What a lead sheet generator must honour exactly: key, meter, bar count; and the tempo and seed.</summary>
public sealed record LeadSheetSpec(KeySignature Key, MeterChange Meter, int Bars, double Bpm, int Seed)
{
    /// <summary>Sampling temperature: 1 samples the model as trained; lower is more conservative.</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Whether chords may leave the key (styles with chromatic harmony); otherwise every chord tone is in key.</summary>
    public bool ChromaticChords { get; init; }

    /// <summary>The feel to condition on: a tune type of the corpus (jig, reel, waltz, ...) or null for none.</summary>
    public string? Feel { get; init; }

    /// <summary>The form the melody follows bar by bar (which bars restate which), or null for the generator's own choice.</summary>
    public BarForm? Form { get; init; }
}
