namespace ComposerBot.Generation.Neural.Training;

/// <summary>Where a training run is: step of total, the running loss, speed and the time left.</summary>
public sealed record TrainingProgress(int Step, int TotalSteps, int Epoch, double Loss, double TokensPerSecond, TimeSpan Eta, string? Note = null)
{
    public double Fraction => TotalSteps == 0 ? 1 : (double)Step / TotalSteps;
}
