using System.Globalization;
using ComposerBot.Discord.Interactions;
using ComposerBot.Jobs;

namespace ComposerBot.Bot.Publishing;

/// <summary>What the Discord publisher needs to answer a request, kept in the request's origin data.</summary>
public sealed record DiscordOrigin(string ApplicationId, string Token, string? ChannelId, DateTimeOffset ReceivedAt, long AttachmentLimit, string Title)
{
    public const string Channel = "discord";

    public static JobOrigin For(InteractionContext context, string title, long defaultLimit, string? parentId = null, string? relation = null)
    {
        var interaction = context.Interaction;
        var data = new Dictionary<string, string>
        {
            ["application_id"] = interaction.ApplicationId,
            ["token"] = interaction.Token,
            ["received_ms"] = context.ReceivedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            ["attachment_limit"] = (interaction.AttachmentSizeLimit ?? defaultLimit).ToString(CultureInfo.InvariantCulture),
            ["title"] = title,
        };
        if (interaction.ChannelId is { } channel)
        {
            data["channel_id"] = channel;
        }

        return new JobOrigin(Channel, interaction.Invoker?.Id ?? "unknown") { GuildId = interaction.GuildId, Data = data, ParentId = parentId, Relation = relation };
    }

    public static DiscordOrigin Of(JobRequest request)
    {
        var d = request.Origin.Data;
        return new DiscordOrigin(
            d["application_id"],
            d["token"],
            d.GetValueOrDefault("channel_id"),
            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(d["received_ms"], CultureInfo.InvariantCulture)),
            long.Parse(d["attachment_limit"], CultureInfo.InvariantCulture),
            d.GetValueOrDefault("title") ?? "");
    }
}
