namespace ComposerBot.Music;

public enum KeyMode
{
    Major = 0,
    Minor = 1,
}
