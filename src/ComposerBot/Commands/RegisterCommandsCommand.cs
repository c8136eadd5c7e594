using System.CommandLine;
using System.Text.Json;
using ComposerBot.Bot;
using ComposerBot.Discord.Models;
using ComposerBot.Discord.Modules;
using ComposerBot.Discord.Rest;

namespace ComposerBot.Cli.Commands;

/// <summary>
/// <c>composerbot register-commands --guild ID | --global</c>: builds the slash commands from the bot's
/// modules and registers them with one bulk overwrite; <c>--print</c> shows the body without sending it.
/// Needs DISCORD_TOKEN; DISCORD_APPLICATION_ID is looked up when not set.
/// </summary>
public static class RegisterCommandsCommand
{
    public static Command Create()
    {
        var guild = new Option<string?>("--guild") { Description = "Register in one guild (development: changes show at once)." };
        var global = new Option<bool>("--global") { Description = "Register globally (production), as a guild and user-installable app usable in DMs." };
        var print = new Option<bool>("--print") { Description = "Print the commands as JSON instead of registering them (needs no token)." };
        var command = new Command("register-commands", "Register the bot's slash commands with Discord (bulk overwrite).") { guild, global, print };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var guildId = parse.GetValue(guild);
            var isGlobal = parse.GetValue(global);
            if ((guildId is null) == !isGlobal)
            {
                throw new CliInputException("say where to register: --guild ID (development) or --global (production), not both.");
            }

            if (guildId is not null && (guildId.Length is < 17 or > 20 || !guildId.All(char.IsAsciiDigit)))
            {
                throw new CliInputException($"'{guildId}' is not a guild id (17-20 digits; Discord: right-click the server, Copy Server ID).");
            }

            var commands = CommandRegistry.Build(BotModules.All, isGlobal ? CommandScope.Global : CommandScope.Guild);
            if (parse.GetValue(print))
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize([.. commands], DiscordJsonContext.Default.ListApplicationCommand)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var token = Environment.GetEnvironmentVariable("DISCORD_TOKEN");
            if (string.IsNullOrWhiteSpace(token))
            {
                throw new CliInputException("DISCORD_TOKEN is not set: put the bot token in the environment (docs/discord-setup.md).");
            }

            var options = new DiscordRestOptions { Token = token.Trim() };
            if (Environment.GetEnvironmentVariable("DISCORD_API_URL") is { Length: > 0 } api)
            {
                options = options with { BaseAddress = new Uri(api.EndsWith('/') ? api : api + "/") };
            }

            using var http = new HttpClient();
            var rest = new DiscordRestClient(http, options, TimeProvider.System);
            var applicationId = Environment.GetEnvironmentVariable("DISCORD_APPLICATION_ID") is { Length: > 0 } id
                ? id
                : (await rest.GetCurrentApplicationAsync(cancellationToken).ConfigureAwait(false)).Id;
            var registered = guildId is null
                ? await rest.BulkOverwriteGlobalCommandsAsync(applicationId, commands, cancellationToken).ConfigureAwait(false)
                : await rest.BulkOverwriteGuildCommandsAsync(applicationId, guildId, commands, cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteLineAsync(
                $"Registered {registered.Count} commands {(guildId is null ? "globally (they can take up to an hour to appear)" : $"in guild {guildId}")}: {string.Join(", ", registered.Select(c => "/" + c.Name))}").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
