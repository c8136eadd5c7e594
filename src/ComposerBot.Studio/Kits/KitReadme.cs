using System.Globalization;
using System.Text;

namespace ComposerBot.Studio.Kits;

/// <summary>The README.txt of a kit's zip: what each file is and how to set it up in OBS Studio.</summary>
public static class KitReadme
{
    public static string Write(KitReceipt kit)
    {
        var inv = CultureInfo.InvariantCulture;
        string Audio(string name) => kit.Pieces.First(p => p.Name == name).Files["audio"];
        var text = new StringBuilder();
        text.AppendLine(inv, $"ComposerBot stream kit {kit.KitId}");
        text.AppendLine(inv, $"{kit.Style}, {kit.Mood}, {kit.Key}, {kit.Meter}, {kit.TempoBpm:0.#} bpm, seed {kit.Seed}");
        text.AppendLine();
        text.AppendLine("Every piece opens with the same motif, in the same key and with the same instruments.");
        text.AppendLine();
        text.AppendLine("What is here");
        foreach (var piece in kit.Pieces)
        {
            var extra = piece.Loop ? ", seamless loop" : piece.TransitionPointMs is { } hit ? string.Create(inv, $", hit at {hit:0} ms") : "";
            text.AppendLine(inv, $"  {piece.Files["audio"],-28} {piece.Title}: {piece.DurationS:0.00} s at {piece.TempoBpm:0.#} bpm{extra}");
        }

        text.AppendLine("  *.mid, *.png                 the MIDI and piano roll of each piece");
        text.AppendLine("  *.json                        each piece's signed receipt (proof of origin); kit.json holds them all");
        text.AppendLine();
        text.AppendLine("Setting it up in OBS Studio");
        text.AppendLine(inv, $"  1. Starting soon: in your starting-soon scene, Sources > + > Media Source, file {Audio("starting-soon")},");
        text.AppendLine("     tick \"Loop\" and \"Restart playback when source becomes active\". Do the same for the be-right-back scene");
        text.AppendLine(inv, $"     with {Audio("be-right-back")}. The music's end joins its start without a click.");
        if (Audio("starting-soon").EndsWith(".mp3", StringComparison.Ordinal))
        {
            text.AppendLine("     (An MP3 player may add a few milliseconds of encoder padding at the seam; a kit made as Ogg or FLAC has none.)");
        }
        text.AppendLine(inv, $"  2. Outro: a Media Source with {Audio("outro")} in your ending scene, \"Loop\" not ticked: it ends by itself.");
        if (kit.Pieces.FirstOrDefault(p => p.Name == "stinger") is { } stinger && stinger.Files.TryGetValue("webm", out var webm))
        {
            text.AppendLine(inv, $"  3. Stinger: Scene Transitions > + > Stinger, Video File {webm}, Transition Point Type \"Time (milliseconds)\",");
            text.AppendLine(inv, $"     Transition Point {stinger.TransitionPointMs:0}. The WebM carries the stinger's audio and wipes across at the hit.");
        }

        text.AppendLine(inv, $"  4. Alerts: upload {Audio("alert-follow")}, {Audio("alert-subscription")} and {Audio("alert-raid")} as the sounds");
        text.AppendLine("     of your follow, subscription and raid alerts in your alert service (StreamElements, Streamlabs, ...).");
        text.AppendLine();
        text.AppendLine("Licence");
        text.AppendLine(kit.Licence);
        text.AppendLine();
        text.AppendLine("If a content-ID system claims a piece, its receipt proves where it came from: `composerbot verify FILE`");
        text.AppendLine("checks the file against its receipt and signature (or upload it to the /verify page of the bot's web).");
        return text.ToString();
    }
}
