using System.Text.Json;
using ComposerBot.Discord.Models;
using ComposerBot.Discord.Modules;

namespace ComposerBot.Discord.Tests;

public class CommandRegistryTests
{
    public enum Feel
    {
        Jig,
        Reel,
    }

    /// <summary>A module shaped like the bot's: a command with every kind of option, an admin command, buttons.</summary>
    public sealed class SampleModule
    {
        [SlashCommand("compose", "Compose an original track")]
        public Task Compose(
            [Summary("What to compose, in plain words")] string prompt,
            [Summary("The style"), Autocomplete(typeof(StyleSuggestions))] string? style = null,
            [Summary("Length in seconds"), Range(1, 600)] double? length = null,
            [Summary("The seed")] long? seed = null,
            [Summary("A seamless loop")] bool loop = false,
            [Summary("The feel")] Feel? feel = null,
            CancellationToken cancellationToken = default) => Task.CompletedTask;

        [SlashCommand("continue", "Continue your melody")]
        public Task Continue([Summary("A MIDI file", "midi")] Attachment file, [Summary("Format"), Choice("MP3", "mp3"), Choice("Ogg", "ogg")] string format = "mp3") => Task.CompletedTask;

        [SlashCommand("settings", "Guild settings", DefaultMemberPermissions = "32")]
        public Task Settings() => Task.CompletedTask;

        [ComponentInteraction("reroll:*")]
        public Task Reroll(string requestId) => Task.CompletedTask;

        [ComponentInteraction("stems:*:*")]
        public Task Stems(string requestId, string format) => Task.CompletedTask;
    }

    [Fact]
    public void Commands_are_built_from_the_attributes_with_required_options_first()
    {
        var commands = CommandRegistry.Build([typeof(SampleModule)], CommandScope.Global);
        Assert.Equal(["compose", "continue", "settings"], commands.Select(c => c.Name));
        var compose = commands[0];
        Assert.Equal(["prompt", "style", "length", "seed", "loop", "feel"], compose.Options!.Select(o => o.Name));
        Assert.Equal([true, false, false, false, false, false], compose.Options!.Select(o => o.Required == true));
        Assert.Equal(
            [ApplicationCommandOptionType.String, ApplicationCommandOptionType.String, ApplicationCommandOptionType.Number, ApplicationCommandOptionType.Integer, ApplicationCommandOptionType.Boolean, ApplicationCommandOptionType.String],
            compose.Options!.Select(o => o.Type));
        Assert.True(compose.Options![1].Autocomplete);
        Assert.Equal((1.0, 600.0), (compose.Options[2].MinValue!.Value, compose.Options[2].MaxValue!.Value));
        Assert.Equal(["jig", "reel"], compose.Options[5].Choices!.Select(c => c.Name));
        Assert.Equal([0, 1], compose.IntegrationTypes);
        Assert.Equal([0, 1, 2], compose.Contexts);
        Assert.Equal("midi", commands[1].Options![0].Name);
        Assert.Equal(ApplicationCommandOptionType.Attachment, commands[1].Options![0].Type);
        Assert.Equal("32", commands[2].DefaultMemberPermissions);
    }

    [Fact]
    public void The_registration_body_is_discords_json()
    {
        var json = JsonSerializer.Serialize(CommandRegistry.Build([typeof(SampleModule)], CommandScope.Guild).ToList(), DiscordJsonContext.Default.ListApplicationCommand);
        Assert.Contains("""{"name":"settings","description":"Guild settings","type":1,"default_member_permissions":32}""", json); // an integer, as Discord's spec takes it
        Assert.Contains("""{"type":3,"name":"format","description":"Format","required":false,"choices":[{"name":"MP3","value":"mp3"},{"name":"Ogg","value":"ogg"}]}""", json);
        Assert.DoesNotContain("integration_types", json);
    }

    public sealed class BadName
    {
        [SlashCommand("Compose", "Capital letters are not allowed")]
        public Task Run() => Task.CompletedTask;
    }

    public sealed class MissingSummary
    {
        [SlashCommand("compose", "A parameter without a description")]
        public Task Run(string prompt) => Task.CompletedTask;
    }

    public sealed class Twice
    {
        [SlashCommand("compose", "One")]
        public Task A() => Task.CompletedTask;

        [SlashCommand("compose", "Two")]
        public Task B() => Task.CompletedTask;
    }

    [Theory]
    [InlineData(typeof(BadName), "command 'Compose': the name must be 1-32 lowercase")]
    [InlineData(typeof(MissingSummary), "option 'prompt' of command 'compose': the description must be 1-100 characters")]
    [InlineData(typeof(Twice), "command 'compose' is declared twice")]
    public void Declarations_discord_would_refuse_fail_at_start(Type module, string message) =>
        Assert.Contains(message, Assert.Throws<CommandDefinitionException>(() => CommandRegistry.Build([module], CommandScope.Guild)).Message);

    [Theory]
    [InlineData("reroll:abc123", "Reroll", new[] { "abc123" })]
    [InlineData("stems:req9:zip", "Stems", new[] { "req9", "zip" })]
    public void Component_ids_route_to_their_handler_with_the_captured_segments(string customId, string method, string[] captures)
    {
        var match = new ComponentRouter([typeof(SampleModule)]).Match(customId);
        Assert.NotNull(match);
        Assert.Equal(method, match.Value.Method.Name);
        Assert.Equal(captures, match.Value.Captures);
    }

    [Theory]
    [InlineData("reroll:")]
    [InlineData("reroll:a:b")]
    [InlineData("variation:abc")]
    public void Unknown_or_malformed_component_ids_match_nothing(string customId) =>
        Assert.Null(new ComponentRouter([typeof(SampleModule)]).Match(customId));
}
