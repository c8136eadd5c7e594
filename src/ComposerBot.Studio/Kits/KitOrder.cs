using ComposerBot.Composition.Prompts;
using ComposerBot.Composition.Requests;
using ComposerBot.Rendering.Encoding;

namespace ComposerBot.Studio.Kits;

/// <summary>
/// One stream kit to make: the request whose style, mood, key, meter, tempo and seed the pieces share, and
/// where the files go (each piece's files, kit.json, README.txt, and <see cref="Name"/>.zip holding them).
/// </summary>
public sealed record KitOrder(CompositionRequest Request, ParsedPrompt? Prompt, string OutputDirectory, string Name, AudioFormat Format);

/// <summary>Progress of a kit: the piece being made (1-based of <paramref name="Count"/>) and the fraction of the whole kit done.</summary>
public sealed record KitProgress(int Piece, int Count, string Name, double Fraction);

/// <summary>A finished kit: its pieces, the kit receipt, the zip and the piece to preview it by.</summary>
public sealed record KitResult(KitReceipt Receipt, IReadOnlyList<KitPiece> Pieces, string ReceiptPath, string ReadmePath, string ZipPath)
{
    /// <summary>The piece that gives the kit's sound at a listen: the starting-soon loop.</summary>
    public KitPiece Preview => Pieces[0];
}
