namespace ComposerBot.Corpus;

public enum Split
{
    Train,
    Valid,
    Test,
}
