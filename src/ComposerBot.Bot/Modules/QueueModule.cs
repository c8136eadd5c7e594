using System.Globalization;
using System.Text;
using ComposerBot.Bot.Publishing;
using ComposerBot.Discord.Models;
using ComposerBot.Discord.Modules;
using ComposerBot.Jobs;

namespace ComposerBot.Bot.Modules;

/// <summary>/queue (your tracks, their places and times) and /status (the workers, the queue, the model).</summary>
public sealed class QueueModule(JobClient jobs, QueueMonitor monitor, IReadOnlyList<Composition.ILeadSheetGenerator> generators) : InteractionModuleBase
{
    [SlashCommand("queue", "Your tracks: where they are in the queue and when they should be ready")]
    public async Task Queue(CancellationToken cancellationToken = default)
    {
        var mine = await jobs.ForUserAsync(Context.Interaction.Invoker?.Id ?? "", cancellationToken).ConfigureAwait(false);
        var text = new StringBuilder();
        foreach (var job in mine)
        {
            var where = job.State switch
            {
                "queued" => string.Create(CultureInfo.InvariantCulture, $"#{job.Position} in the queue, ready in about {job.EtaSeconds ?? 0:0} s"),
                "running" => string.Create(CultureInfo.InvariantCulture, $"{job.Phase} ({job.Fraction:0%}), ready in about {job.EtaSeconds ?? 0:0} s"),
                "failed" => $"failed: {job.Error}",
                _ => job.State,
            };
            text.AppendLine(CultureInfo.InvariantCulture, $"`{job.Id}` {TrackMessage.Shorten(job.Prompt.Length > 0 ? job.Prompt : "(no prompt)", 60)}: {where}");
        }

        await RespondAsync(ephemeral: true, embeds:
        [
            new Embed
            {
                Title = "Your tracks",
                Color = TrackMessage.Accent,
                Description = mine.Count == 0 ? "Nothing yet: try /compose." : text.ToString(),
            },
        ], cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    [SlashCommand("status", "ComposerBot's workers, queue and model")]
    public async Task Status(CancellationToken cancellationToken = default)
    {
        var health = await monitor.HealthAsync(cancellationToken).ConfigureAwait(false);
        var workers = health.Workers.Count == 0
            ? "none live: requests wait until one starts"
            : string.Join('\n', health.Workers.GroupBy(w => w.Device).Select(g => $"{g.Sum(w => w.Workers)} on {g.Key} ({g.Count()} process{(g.Count() == 1 ? "" : "es")})"));
        var model = string.Join(", then ", generators.Select(g => $"{g.Name} ({g.ModelId[..Math.Min(12, g.ModelId.Length)]})"));
        await RespondAsync(ephemeral: true, embeds:
        [
            new Embed
            {
                Title = $"ComposerBot is {health.Status}",
                Color = TrackMessage.Accent,
                Fields =
                [
                    new EmbedField("Workers", workers),
                    new EmbedField("Queue", string.Create(CultureInfo.InvariantCulture, $"{health.Requests?.Queued ?? 0} waiting, {health.Requests?.Running ?? 0} composing"), true),
                    new EmbedField("Model", model, true),
                ],
            },
        ], cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
