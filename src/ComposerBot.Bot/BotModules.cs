using ComposerBot.Bot.Modules;

namespace ComposerBot.Bot;

/// <summary>The command modules the bot serves and registers with Discord.</summary>
public static class BotModules
{
    public static IReadOnlyList<Type> All { get; } = [typeof(ComposeModule), typeof(QueueModule), typeof(SettingsModule), typeof(InfoModule), typeof(VerifyModule)];
}
