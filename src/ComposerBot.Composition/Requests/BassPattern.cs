namespace ComposerBot.Composition.Requests;

public enum BassPattern
{
    /// <summary>Root and octave alternating in 8ths.</summary>
    Octaves,

    /// <summary>Root on the first beat, fifth on the middle of the bar.</summary>
    RootFifth,

    /// <summary>Quarter notes walking chord tones toward the next root.</summary>
    Walking,

    /// <summary>Repeated root 8ths.</summary>
    Pulse,

    /// <summary>The root held through the slot.</summary>
    Drone,
}
