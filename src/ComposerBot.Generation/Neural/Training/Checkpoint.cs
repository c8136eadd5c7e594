using System.Text;
using ComposerBot.Music.IO;

namespace ComposerBot.Generation.Neural.Training;

/// <summary>
/// A training run's state between steps: where it is (epoch, batch, step), what it has seen, the model and
/// the optimiser's moments. Written atomically; resuming from it continues the run exactly.
/// </summary>
public sealed record Checkpoint(int Step, int Epoch, int Batch, long TokensSeen, double Seconds, double RunningLoss)
{
    public const string FileName = "checkpoint.bin";
    private const string Magic = "composerbot-checkpoint/2";

    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    public void Save(string directory, string fingerprint, MusicTransformer model, AdamW optimizer)
    {
        Directory.CreateDirectory(directory);
        AtomicFile.Write(PathIn(directory), stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(fingerprint);
            writer.Write(Step);
            writer.Write(Epoch);
            writer.Write(Batch);
            writer.Write(TokensSeen);
            writer.Write(Seconds);
            writer.Write(RunningLoss);
            model.save(writer);
            optimizer.Save(writer);
        });
    }

    /// <summary>The saved state, loaded into the model and optimiser; null when there is none.</summary>
    public static Checkpoint? TryLoad(string directory, string fingerprint, MusicTransformer model, AdamW optimizer)
    {
        var path = PathIn(directory);
        if (!File.Exists(path))
        {
            return null;
        }

        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        try
        {
            var magic = reader.ReadString();
            if (magic != Magic)
            {
                throw magic.StartsWith("composerbot-checkpoint/", StringComparison.Ordinal)
                    ? new ModelLoadException($"the checkpoint in {directory} was written by another version of composerbot ({magic}, this one reads {Magic}); start again with --fresh.")
                    : new InvalidDataException("not a checkpoint");
            }

            if (reader.ReadString() != fingerprint)
            {
                throw new ModelLoadException($"the checkpoint in {directory} belongs to a run with other options or data; resume that run, or start again with --fresh.");
            }

            var checkpoint = new Checkpoint(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt64(), reader.ReadDouble(), reader.ReadDouble());
            model.load(reader);
            optimizer.Load(reader);
            return checkpoint;
        }
        catch (Exception ex) when (ex is EndOfStreamException or InvalidDataException or ArgumentException or IOException)
        {
            throw new ModelLoadException($"the checkpoint {path} is damaged ({ex.Message.Split('\n')[0].TrimEnd('.')}); start again with --fresh.", ex);
        }
    }
}
