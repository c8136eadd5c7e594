namespace ComposerBot.Composition.Requests;

/// <summary>The parts of an arrangement; each is also a stem group.</summary>
public enum InstrumentRole
{
    Melody,
    Harmony,
    Bass,
    Drums,
}
