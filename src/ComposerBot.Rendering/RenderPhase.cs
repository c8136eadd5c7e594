namespace ComposerBot.Rendering;

public enum RenderPhase
{
    Synthesizing,
    Normalizing,
    Encoding,
    Drawing,
}
