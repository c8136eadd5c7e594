using ComposerBot.Discord.Interactions;
using ComposerBot.Discord.Models;

namespace ComposerBot.Discord.Tests;

public class InteractionContextTests
{
    private static readonly DateTimeOffset Received = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static InteractionContext Context() =>
        new(new Interaction { Id = "1", ApplicationId = "9", Type = InteractionType.ApplicationCommand, Token = "t" }, Received);

    [Fact]
    public void The_ack_window_and_token_life_run_from_our_receipt()
    {
        var context = Context();
        Assert.True(context.CanStillAcknowledge(Received.AddSeconds(2.9)));
        Assert.False(context.CanStillAcknowledge(Received.AddSeconds(3)));
        Assert.True(context.TokenAlive(Received.AddMinutes(14.9)));
        Assert.False(context.TokenAlive(Received.AddMinutes(15)));
    }

    [Fact]
    public async Task Only_one_of_many_racing_first_responses_wins()
    {
        var context = Context();
        var wins = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(context.TryAcknowledge)));
        Assert.Equal(1, wins.Count(w => w));
        Assert.False(context.CanStillAcknowledge(Received));
    }
}
