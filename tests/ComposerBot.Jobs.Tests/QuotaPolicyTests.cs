using ComposerBot.Jobs.Storage;

namespace ComposerBot.Jobs.Tests;

public sealed class QuotaPolicyTests
{
    private static readonly QuotaOptions Limits = new() { PerUserConcurrent = 2, PerUserPerHour = 5, PerGuildQueued = 4, GlobalQueued = 10 };
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Under_every_limit_a_request_is_taken() =>
        Assert.True(QuotaPolicy.Decide(new AdmissionCounts(1, 4, Now.AddMinutes(-30), 3, 9), Limits, TimeSpan.FromSeconds(10), 1, Now).Accepted);

    [Fact]
    public void A_full_queue_says_busy_and_when_to_come_back()
    {
        var refused = QuotaPolicy.Decide(new AdmissionCounts(0, 0, null, 0, 10), Limits, TimeSpan.FromSeconds(30), 2, Now);
        Assert.False(refused.Accepted);
        Assert.Equal("ComposerBot is busy (10 tracks in the queue); try again in 3 min.", refused.Reason);
        Assert.Equal(TimeSpan.FromSeconds(150), refused.RetryAfter);
    }

    [Fact]
    public void A_user_with_tracks_in_the_works_waits_for_one()
    {
        var refused = QuotaPolicy.Decide(new AdmissionCounts(2, 2, Now.AddMinutes(-1), 2, 2), Limits, TimeSpan.FromSeconds(10), 1, Now);
        Assert.Equal("You already have 2 tracks in the works (the limit is 2); wait for one to finish.", refused.Reason);
    }

    [Fact]
    public void The_hourly_limit_names_the_minutes_until_the_oldest_request_leaves_the_hour()
    {
        var refused = QuotaPolicy.Decide(new AdmissionCounts(0, 5, Now.AddMinutes(-48), 0, 0), Limits, TimeSpan.FromSeconds(10), 1, Now);
        Assert.Equal("You have made 5 tracks in the last hour (the limit is 5); try again in 12 min.", refused.Reason);
        Assert.Equal(TimeSpan.FromMinutes(12), refused.RetryAfter);
    }

    [Fact]
    public void A_guild_at_its_cap_is_refused_but_a_request_without_a_guild_is_not()
    {
        Assert.Contains("This server already has 4 tracks", QuotaPolicy.Decide(new AdmissionCounts(0, 0, null, 4, 4), Limits, TimeSpan.FromSeconds(10), 1, Now).Reason);
        Assert.True(QuotaPolicy.Decide(new AdmissionCounts(0, 0, null, 0, 4), Limits, TimeSpan.FromSeconds(10), 1, Now).Accepted);
    }

    [Theory]
    [InlineData(0, 1, "1 min")]
    [InlineData(61, 1, "2 min")]
    [InlineData(600, 1, "10 min")]
    public void Waits_are_whole_minutes_rounded_up(int seconds, int workers, string expected) =>
        Assert.Equal(expected, QuotaPolicy.Minutes(QuotaPolicy.Wait(1, TimeSpan.FromSeconds(seconds), workers)));
}
