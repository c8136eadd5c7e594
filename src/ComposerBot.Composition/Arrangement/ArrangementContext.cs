using ComposerBot.Composition.Planning;
using ComposerBot.Music.LeadSheets;

namespace ComposerBot.Composition.Arrangement;

/// <summary>What every part writer needs: the plan, the grid, and the energy-driven dynamics.</summary>
internal sealed record ArrangementContext(FormPlan Plan, LeadSheet Sheet, long Bar, long Pulse, long End, Random Random)
{
    /// <summary>The energy at a tick: the section's, rising through a stinger's build.</summary>
    public double Energy(long tick)
    {
        var section = Plan.SectionAt((int)Math.Min(tick / Bar, Plan.Bars - 1));
        if (section.Name == "build")
        {
            var progress = (double)(tick - (section.StartBar * Bar)) / (section.Bars * Bar);
            return section.Energy * (0.55 + (0.45 * progress));
        }

        return section.Energy;
    }

    public double Velocity(long tick, int accent = 0)
    {
        var (low, high) = Plan.Request.Profile.Velocity;
        var onBeat = tick % Pulse == 0 ? 4 : 0;
        return low + ((high - low) * Energy(tick)) + onBeat + accent;
    }

    public bool IsHitBar(long tick) => Plan.Request.Stinger && tick >= End - Bar;

    public string SectionName(long tick) => Plan.SectionAt((int)Math.Min(tick / Bar, Plan.Bars - 1)).Name;
}
