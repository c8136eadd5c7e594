using System.Globalization;
using ComposerBot.Discord.Models;
using ComposerBot.Studio;
using ComposerBot.Studio.Kits;

namespace ComposerBot.Bot.Publishing;

/// <summary>How a finished track looks in Discord: the embed and the buttons that make new tracks from it.</summary>
public static class TrackMessage
{
    public const int Accent = 0x5B7CFA;

    /// <summary>The buttons' actions: custom_id "track:ACTION:REQUEST_ID".</summary>
    public static readonly IReadOnlyList<(string Action, string Label)> Actions =
    [
        ("reroll", "Reroll"),
        ("vary", "Variation"),
        ("extend", "Extend +30 s"),
        ("loop", "Loop version"),
        ("stinger", "Stinger version"),
        ("stems", "Stems"),
    ];

    public static Embed Embed(Receipt receipt, string title, string? link)
    {
        var inv = CultureInfo.InvariantCulture;
        var fields = new List<EmbedField>
        {
            new("Style", receipt.Style, true),
            new("Key", receipt.Key, true),
            new("Tempo", string.Create(inv, $"{receipt.TempoBpm:0.#} bpm"), true),
            new("Length", string.Create(inv, $"{receipt.DurationS:0.0} s ({receipt.Bars} bars of {receipt.Meter})"), true),
            new("Seed", receipt.Seed.ToString(inv), true),
        };
        if (receipt.LoopStartSample is { } start && receipt.LoopLengthSamples is { } length)
        {
            fields.Add(new("Loop", string.Create(inv, $"{start / (double)receipt.SampleRate:0.000} s + {length / (double)receipt.SampleRate:0.000} s (samples {start} + {length})"), true));
        }

        if (receipt.TransitionPointMs is { } hit)
        {
            fields.Add(new("Hit at", string.Create(inv, $"{hit / 1000:0.00} s"), true));
        }

        if (link is not null)
        {
            fields.Add(new("Audio", $"Too large to attach here: [download it]({link})"));
        }

        return new Embed
        {
            Title = Shorten(title.Length > 0 ? title : $"{receipt.Style} ({receipt.Request.Mood})", 256),
            Color = Accent,
            Fields = fields,
            Footer = new EmbedFooter($"Receipt {receipt.ReceiptId} · model {receipt.Model} {receipt.ModelSha256[..Math.Min(12, receipt.ModelSha256.Length)]} · /license"),
        };
    }

    /// <summary>A stream kit's embed: what its pieces share, each piece's length, and its page.</summary>
    public static Embed KitEmbed(KitReceipt kit, string title, string page)
    {
        var inv = CultureInfo.InvariantCulture;
        var pieces = string.Join('\n', kit.Pieces.Select(p => string.Create(inv, $"{p.Title}: {p.DurationS:0.0} s") + (p.Loop ? " (loop)" : p.TransitionPointMs is { } hit ? string.Create(inv, $" (hit at {hit:0} ms)") : "")));
        return new Embed
        {
            Title = Shorten(title, 256),
            Url = page,
            Color = Accent,
            Fields =
            [
                new("Style", kit.Style, true),
                new("Key", kit.Key, true),
                new("Tempo", string.Create(inv, $"{kit.TempoBpm:0.#} bpm"), true),
                new("Seed", kit.Seed.ToString(inv), true),
                new("Pieces", Shorten(pieces, 1024)),
            ],
            Footer = new EmbedFooter($"Kit {kit.KitId} · every piece has its own signed receipt · /license"),
        };
    }

    /// <summary>Two rows of buttons; the loop and stinger versions show only where they make a different track.</summary>
    public static IReadOnlyList<MessageComponent> Buttons(string requestId, Receipt receipt)
    {
        var buttons = Actions
            .Where(a => a.Action switch
            {
                "loop" => !receipt.Request.Loop,
                "stinger" => !receipt.Request.Stinger,
                "stems" => !receipt.Request.Stems,
                "extend" => !receipt.Request.Stinger,
                _ => true,
            })
            .Select(a => MessageComponent.Button(a.Label, $"track:{a.Action}:{requestId}", a.Action == "reroll" ? 1 : 2))
            .ToList();
        return [.. buttons.Chunk(5).Select(row => MessageComponent.Row(row))];
    }

    public static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
