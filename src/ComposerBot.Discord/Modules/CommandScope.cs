namespace ComposerBot.Discord.Modules;

/// <summary>Where commands are registered: one guild (development, instant) or globally (production).</summary>
public enum CommandScope
{
    Guild,
    Global,
}
