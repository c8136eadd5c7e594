using ComposerBot.Discord.Models;
using ComposerBot.Discord.Modules;
using ComposerBot.Studio;

namespace ComposerBot.Bot.Modules;

/// <summary>/help and /license: answered at once, only to the user who asked.</summary>
public sealed class InfoModule : InteractionModuleBase
{
    private const int Accent = 0x5B7CFA;

    [SlashCommand("help", "How to ask ComposerBot for music")]
    public Task Help() => RespondAsync(
        ephemeral: true,
        embeds:
        [
            new Embed
            {
                Title = "ComposerBot: original music on request",
                Color = Accent,
                Description = "Describe the track in plain words; ComposerBot writes an original melody, arranges it in a style and posts the audio, its MIDI and a piano roll.",
                Fields =
                [
                    new EmbedField("/compose", "`/compose prompt:\"tense chiptune boss fight, 45 s, loop\"`: styles chiptune, orchestral, lofi, rock, ambient, piano, folk, synthwave; lengths in seconds, minutes or bars; keys like D minor; loop, stinger, stems, no drums."),
                    new EmbedField("/stinger", "A 1-10 second jingle that ends on a hit, for streams and videos."),
                    new EmbedField("/streamkit", "A channel's sound in one request: starting-soon and be-right-back loops, an outro, a 3 s stinger with its OBS transition and three alerts, sharing a key, a tempo and a motif, in one zip with a README for OBS."),
                    new EmbedField("/continue", "Attach a MIDI file (up to 1 MB): its melody opens the track and ComposerBot carries it on in a style."),
                    new EmbedField("Buttons", "Under every track: Reroll (a new seed), Variation (the same motif, a new tune after it), Extend (+30 s of the same melody), a loop or stinger version, and Stems (one file per part, zipped)."),
                    new EmbedField("/queue, /status", "Where your tracks are and when they should be ready; how busy ComposerBot is."),
                    new EmbedField("/settings", "For server managers: a default style, the one channel ComposerBot answers in, and quotas."),
                    new EmbedField("/verify", "Attach an audio or MIDI file: a private answer saying whether it is a ComposerBot track, checked against its signed receipt (a re-encoded upload or a clip still counts)."),
                    new EmbedField("/license", "What you may do with the tracks, and what the receipt proves."),
                ],
            },
        ]);

    [SlashCommand("license", "What you may do with the tracks, and what receipts are")]
    public Task License() => RespondAsync(
        ephemeral: true,
        embeds:
        [
            new Embed
            {
                Title = "Your tracks are yours",
                Color = Accent,
                Description = TrackComposer.Licence,
                Fields =
                [
                    new EmbedField("Receipts", "Every track comes with a receipt: its id, the request, the seed and the SHA-256 of the model that wrote it, and the originality check against the training tunes. The receipt is signed with this bot's key over the SHA-256 of the audio and MIDI, and the same request, seed and model give the same track, so `/verify` (or `composerbot verify`) can prove where a track came from when a content-ID system claims otherwise."),
                    new EmbedField("Training data", "Only public-domain and openly licensed tunes (Nottingham folk tunes, the JSB chorales, O'Neill's Music of Ireland, Ryan's Mammoth Collection)."),
                ],
            },
        ]);
}
