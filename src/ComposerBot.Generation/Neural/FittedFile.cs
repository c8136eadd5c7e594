using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ComposerBot.Generation.Neural;

/// <summary>Reading the JSON files fitted for one model's weights: its sampling calibration and its melody critic.</summary>
internal static class FittedFile
{
    /// <summary>The file's contents; null where there is no file.</summary>
    /// <exception cref="ModelLoadException">The file is not JSON of that kind.</exception>
    public static T? Read<T>(string path, JsonTypeInfo<T> type, string what)
        where T : class
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize(stream, type);
        }
        catch (JsonException ex)
        {
            throw new ModelLoadException($"{path} is not a {what} ({ex.Message.Split('\n')[0]}).", ex);
        }
    }

    /// <summary>The file where it was fitted for these weights; null for other weights.</summary>
    public static T? IfFittedFor<T>(T file, string fittedFor, string modelSha256)
        where T : class =>
        string.Equals(fittedFor, modelSha256, StringComparison.OrdinalIgnoreCase) ? file : null;
}
