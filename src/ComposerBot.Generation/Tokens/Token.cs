namespace ComposerBot.Generation.Tokens;

/// <summary>A token: its kind and value (the meaning of the value depends on the kind).</summary>
public readonly record struct Token(TokenKind Kind, int Value = 0)
{
    public override string ToString() => Value == 0 && Kind is TokenKind.Pad or TokenKind.Begin or TokenKind.End or TokenKind.Bar ? Kind.ToString() : $"{Kind}:{Value}";
}
