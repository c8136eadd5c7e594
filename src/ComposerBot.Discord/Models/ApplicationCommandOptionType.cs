namespace ComposerBot.Discord.Models;

// The names are Discord's own (STRING, INTEGER, ...): keeping them makes the spec easy to follow.
#pragma warning disable CA1720

public enum ApplicationCommandOptionType
{
    SubCommand = 1,
    SubCommandGroup = 2,
    String = 3,
    Integer = 4,
    Boolean = 5,
    User = 6,
    Channel = 7,
    Role = 8,
    Mentionable = 9,
    Number = 10,
    Attachment = 11,
}
#pragma warning restore CA1720
