using System.Globalization;
using ComposerBot.Bot.Autocomplete;
using ComposerBot.Bot.Publishing;
using ComposerBot.Composition.Requests;
using ComposerBot.Discord.Models;
using ComposerBot.Discord.Modules;
using ComposerBot.Jobs.Storage;
using Microsoft.Extensions.Options;

namespace ComposerBot.Bot.Modules;

/// <summary>/settings: what a server's managers choose: the default style, the one channel, the quotas.</summary>
public sealed class SettingsModule(RequestStore store, IOptions<Jobs.JobsOptions> jobs) : InteractionModuleBase
{
    /// <summary>Manage Server (0x20) or Administrator (0x8).</summary>
    private const long ManageGuild = 0x20;
    private const long Administrator = 0x8;

    [SlashCommand("settings", "Server settings: default style, the channel I answer in, quotas", DefaultMemberPermissions = "32")]
    public async Task Settings(
        [Summary("The style when a request names none", "default_style"), Autocomplete(typeof(StyleSuggestions))] string? defaultStyle = null,
        [Summary("The only channel I compose in")] ChannelOption? channel = null,
        [Summary("Tracks one member may make per hour", "per_user_per_hour"), Range(1, 500)] int? perUserPerHour = null,
        [Summary("Tracks this server may have in the queue at once", "server_queue"), Range(1, 500)] int? serverQueue = null,
        [Summary("Forget every setting above (back to the defaults)")] bool reset = false,
        CancellationToken cancellationToken = default)
    {
        var interaction = Context.Interaction;
        if (interaction.GuildId is not { } guild)
        {
            await RespondAsync("⚠️ Settings belong to a server; use /settings there.", ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        var permissions = long.TryParse(interaction.Member?.Permissions, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 0;
        if ((permissions & (ManageGuild | Administrator)) == 0)
        {
            await RespondAsync("⚠️ Only members who can manage this server can change its settings.", ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        var settings = reset ? new GuildSettings(guild) : await store.GetGuildSettingsAsync(guild, cancellationToken).ConfigureAwait(false);
        try
        {
            settings = settings with
            {
                DefaultStyle = defaultStyle is null ? settings.DefaultStyle : StyleProfile.Name(TrackRequests.ParseStyle(defaultStyle)),
                ChannelId = channel?.Id ?? settings.ChannelId,
                PerUserPerHour = perUserPerHour ?? settings.PerUserPerHour,
                GuildQueued = serverQueue ?? settings.GuildQueued,
            };
        }
        catch (CompositionException ex)
        {
            await RespondAsync($"⚠️ {ex.Message}", ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        await store.SaveGuildSettingsAsync(settings, cancellationToken).ConfigureAwait(false);
        var limits = jobs.Value.Limits;
        await RespondAsync(ephemeral: true, embeds:
        [
            new Embed
            {
                Title = reset ? "Settings reset" : "Settings saved",
                Color = TrackMessage.Accent,
                Fields =
                [
                    new EmbedField("Default style", settings.DefaultStyle ?? "none (the prompt decides; piano when it does not say)", true),
                    new EmbedField("Channel", settings.ChannelId is { } id ? $"<#{id}>" : "any", true),
                    new EmbedField("Per member per hour", (settings.PerUserPerHour ?? limits.PerUserPerHour).ToString(CultureInfo.InvariantCulture), true),
                    new EmbedField("Server queue", (settings.GuildQueued ?? limits.PerGuildQueued).ToString(CultureInfo.InvariantCulture), true),
                ],
            },
        ], cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
