using System.Text.Json;
using ComposerBot.Discord.Models;

namespace ComposerBot.Discord.Tests;

public class ModelJsonTests
{
    [Fact]
    public void A_recorded_slash_command_interaction_reads_with_its_options_and_invoker()
    {
        const string json = """
            {"id":"1234","application_id":"99","type":2,"token":"tok","version":1,"guild_id":"55","channel_id":"66",
             "member":{"user":{"id":"777","username":"ada","global_name":"Ada"},"permissions":"2147483647"},
             "data":{"id":"5","name":"compose","type":1,"options":[{"name":"prompt","type":3,"value":"calm lo-fi"},{"name":"seed","type":4,"value":42}]},
             "locale":"en-GB","attachment_size_limit":10485760,"app_permissions":"0","entitlements":[],"context":0}
            """;
        var interaction = JsonSerializer.Deserialize(json, DiscordJsonContext.Default.Interaction)!;
        Assert.Equal(InteractionType.ApplicationCommand, interaction.Type);
        Assert.Equal("ada", interaction.Invoker!.Username);
        Assert.Equal(10_485_760, interaction.AttachmentSizeLimit);
        Assert.Equal("calm lo-fi", interaction.Data!.Options![0].Value!.Value.GetString());
        Assert.Equal(42, interaction.Data.Options[1].Value!.Value.GetInt32());
    }

    [Fact]
    public void A_dm_interaction_has_its_invoker_in_user()
    {
        const string json = """{"id":"1","application_id":"9","type":3,"token":"t","user":{"id":"8"},"data":{"custom_id":"reroll:abc","component_type":2}}""";
        var interaction = JsonSerializer.Deserialize(json, DiscordJsonContext.Default.Interaction)!;
        Assert.Equal("8", interaction.Invoker!.Id);
        Assert.Equal("reroll:abc", interaction.Data!.CustomId);
    }

    [Fact]
    public void Responses_are_written_in_snake_case_without_nulls()
    {
        var deferred = new InteractionResponse(InteractionCallbackType.DeferredChannelMessageWithSource, new InteractionCallbackData { Flags = InteractionCallbackData.EphemeralFlag });
        Assert.Equal("""{"type":5,"data":{"flags":64}}""", JsonSerializer.Serialize(deferred, DiscordJsonContext.Default.InteractionResponse));
        Assert.Equal("""{"type":1}""", JsonSerializer.Serialize(InteractionResponse.Pong, DiscordJsonContext.Default.InteractionResponse));
    }

    [Theory]
    [InlineData("\"32\"")]
    [InlineData("32")]
    public void Permission_bits_are_read_as_discord_answers_them_and_written_as_its_spec_takes_them(string value)
    {
        var command = JsonSerializer.Deserialize($$"""[{"name":"settings","description":"d","default_member_permissions":{{value}}}]""", DiscordJsonContext.Default.ListApplicationCommand)!;
        Assert.Equal("32", command[0].DefaultMemberPermissions);
        Assert.Contains("\"default_member_permissions\":32", JsonSerializer.Serialize(command, DiscordJsonContext.Default.ListApplicationCommand), StringComparison.Ordinal);
    }
}
