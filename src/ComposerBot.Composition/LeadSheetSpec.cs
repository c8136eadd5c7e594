using ComposerBot.Music;

namespace ComposerBot.Composition;

/// <summary>What a lead sheet generator must honour exactly: key, meter, bar count; and the tempo and seed.</summary>
public sealed record LeadSheetSpec(KeySignature Key, MeterChange Meter, int Bars, double Bpm, int Seed)
{
    /// <summary>Sampling temperature: 1 samples the model as trained; lower is more conservative.</summary>
    public double Temperature { get; init; } = 1.0;
}
