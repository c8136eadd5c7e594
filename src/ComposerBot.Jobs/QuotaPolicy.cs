using ComposerBot.Jobs.Storage;

namespace ComposerBot.Jobs;

/// <summary>
/// The limits, as a pure decision over what is already queued: per user (at once and per hour), per guild
/// and for everybody. Refusals say which limit and, where a wait helps, how long.
/// </summary>
public static class QuotaPolicy
{
    public static Admission Decide(AdmissionCounts counts, QuotaOptions limits, TimeSpan typicalJob, int workers, DateTimeOffset now)
    {
        if (counts.GlobalQueued >= limits.GlobalQueued)
        {
            var wait = Wait(counts.GlobalQueued, typicalJob, workers);
            return Admission.Refuse($"ComposerBot is busy ({counts.GlobalQueued} tracks in the queue); try again in {Minutes(wait)}.", wait);
        }

        if (counts.UserActive >= limits.PerUserConcurrent)
        {
            return Admission.Refuse($"You already have {Tracks(counts.UserActive)} in the works (the limit is {limits.PerUserConcurrent}); wait for one to finish.", typicalJob);
        }

        if (counts.UserLastHour >= limits.PerUserPerHour)
        {
            var wait = counts.UserOldestInHour is { } oldest ? oldest + TimeSpan.FromHours(1) - now : TimeSpan.FromHours(1);
            return Admission.Refuse($"You have made {Tracks(counts.UserLastHour)} in the last hour (the limit is {limits.PerUserPerHour}); try again in {Minutes(wait)}.", wait);
        }

        if (counts.GuildActive >= limits.PerGuildQueued)
        {
            var wait = Wait(counts.GuildActive, typicalJob, workers);
            return Admission.Refuse($"This server already has {Tracks(counts.GuildActive)} in the queue (the limit is {limits.PerGuildQueued}); try again in {Minutes(wait)}.", wait);
        }

        return Admission.Accept();
    }

    /// <summary>How long the jobs ahead take with this many workers.</summary>
    public static TimeSpan Wait(int ahead, TimeSpan typicalJob, int workers) => typicalJob * Math.Ceiling((double)ahead / Math.Max(1, workers));

    /// <summary>"1 min", "12 min": whole minutes, rounded up, never zero.</summary>
    public static string Minutes(TimeSpan wait) => $"{Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes))} min";

    private static string Tracks(int n) => n == 1 ? "1 track" : $"{n} tracks";
}
