namespace ComposerBot.Music.Tests;

public class TempoMapTests
{
    [Fact]
    public void Constant_tempo_converts_ticks_to_seconds()
    {
        var map = TempoMap.Constant(480, 120);
        Assert.Equal(0.5, map.ToSeconds(480), 9);
        Assert.Equal(60.0, map.ToSeconds(480 * 120), 9);
        Assert.Equal(480 * 120, map.ToTicks(60.0));
    }

    [Fact]
    public void Tempo_changes_are_followed_in_both_directions()
    {
        // 4 beats at 120 bpm (2 s), then 60 bpm: one beat per second.
        var map = new TempoMap(100, [new TempoChange(0, 500_000), new TempoChange(400, 1_000_000)]);
        Assert.Equal(2.0, map.ToSeconds(400), 9);
        Assert.Equal(3.0, map.ToSeconds(500), 9);
        Assert.Equal(1.0, map.ToSeconds(200), 9);
        Assert.Equal(500, map.ToTicks(3.0));
        Assert.Equal(200, map.ToTicks(1.0));
        Assert.Equal(60, map.TempoAt(450).Bpm, 9);
    }

    [Fact]
    public void A_map_without_a_tempo_at_zero_starts_at_120_bpm()
    {
        var map = new TempoMap(96, [new TempoChange(96, 250_000)]);
        Assert.Equal(2, map.Changes.Count);
        Assert.Equal(120, map.InitialBpm, 9);
        Assert.Equal(0.5 + 0.25, map.ToSeconds(192), 9);
    }

    [Fact]
    public void Maps_with_the_same_changes_are_equal()
    {
        Assert.Equal(TempoMap.Constant(480, 90), TempoMap.Constant(480, 90));
        Assert.NotEqual(TempoMap.Constant(480, 90), TempoMap.Constant(960, 90));
    }
}
