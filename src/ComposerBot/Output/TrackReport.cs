namespace ComposerBot.Cli.Output;

/// <summary>One track as <c>info</c> shows it; channels count from 1 as MIDI players show them.</summary>
public sealed record TrackReport(int Index, string Name, int Program, string Instrument, int Channel, bool Drum, int Notes, int Lowest, int Highest);
