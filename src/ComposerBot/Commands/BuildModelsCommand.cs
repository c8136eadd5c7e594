using ComposerBot.Music.IO;
using System.CommandLine;
using System.Security.Cryptography;
using ComposerBot.Corpus;
using ComposerBot.Generation.NGram;
using ComposerBot.Generation.Tokens;
using ComposerBot.Music.Forms;
using ComposerBot.Music.LeadSheets;
using ComposerBot.Music.Metrics;
using ComposerBot.Studio;

namespace ComposerBot.Cli.Commands;

/// <summary>
/// <c>composerbot build-models</c>: trains what the product ships in models/ from the corpus's train split:
/// the n-gram lead-sheet model, the originality index and the training tunes' forms. Deterministic: the same corpus gives the same bytes.
/// </summary>
public static class BuildModelsCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "Where to write the model files.", DefaultValueFactory = _ => new DirectoryInfo(ModelStore.DefaultDirectory(Environment.GetEnvironmentVariable("COMPOSERBOT_HOME"))) };
        var corpus = new CorpusOptions();
        var command = new Command("build-models", "Train the shipped models (n-gram baseline, originality index, tune forms) from the corpus's train split.") { output };
        corpus.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var loaded = await corpus.LoadAsync(parse, cancellationToken).ConfigureAwait(false);
            var train = loaded.In(Split.Train).ToList();
            var directory = parse.GetRequiredValue(output).FullName;
            Directory.CreateDirectory(directory);

            var model = NGramModel.Train(train.Select(p => p.LeadSheet));
            var index = OriginalityIndex.Build(train.Select(p => (p.File, MelodySymbols.Of(p.LeadSheet.Melody, LeadSheet.Resolution))));
            var forms = FormLibrary.Build(train.Select(p => (LeadSheetTokenizer.FeelOf(p.Type), p.LeadSheet)));
            foreach (var (file, save) in new (string, Action<Stream>)[] { (ModelStore.NGramFile, model.Save), (ModelStore.IndexFile, index.Save), (ModelStore.FormsFile, forms.Save) })
            {
                var path = Path.Combine(directory, file);
                AtomicFile.Write(path, save);
                var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
                await Console.Out.WriteLineAsync($"Wrote {path} ({bytes.Length:N0} bytes, sha256 {Convert.ToHexStringLower(SHA256.HashData(bytes))})").ConfigureAwait(false);
            }

            await Console.Out.WriteLineAsync($"Trained on {model.TrainingPieces} pieces ({model.TrainingNotes:N0} notes) of the train split; indexed {index.Pieces} melodies and {forms.Count} forms.").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
