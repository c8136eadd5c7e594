using ComposerBot.Generation.NGram;
using ComposerBot.Music;
using ComposerBot.Music.LeadSheets;
using ComposerBot.Music.Metrics;
using ComposerBot.Rendering;
using ComposerBot.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ComposerBot.Studio.Tests;

/// <summary>
/// The compose pipeline with a small model trained here on seeded melodies (so the tests do not depend on
/// the shipped files) and the system SoundFont.
/// </summary>
public sealed class StudioFixture : IDisposable
{
    private readonly TempDirectory _models = new();

    public StudioFixture()
    {
        var sheets = Enumerable.Range(0, 80).Select(i => i % 2 == 0
            ? Melodies.Quarters(Melodies.Walk(i, 32), new KeySignature(0, KeyMode.Major))
            : Melodies.Quarters(Melodies.Walk(i, 30, 69, [0, 2, 3, 5, 7, 8, 10]), new KeySignature(0, KeyMode.Minor), beatsPerBar: 3)).ToList();
        using (var file = File.Create(_models.File(ModelStore.NGramFile)))
        {
            NGramModel.Train(sheets).Save(file);
        }

        using (var file = File.Create(_models.File(ModelStore.IndexFile)))
        {
            OriginalityIndex.Build(sheets.Select((s, i) => ($"t{i}", MelodySymbols.Of(s.Melody, LeadSheet.Resolution)))).Save(file);
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rendering:SoundFont"] = ExternalTools.SystemSoundFont,
            ["Models:Directory"] = _models.Path,
            ["Composer:SigningKey"] = _models.File("signing-key"),
        }).Build();
        Services = new ServiceCollection().AddLogging().AddComposerRendering(configuration).AddComposerStudio(configuration).BuildServiceProvider();
    }

    public ServiceProvider Services { get; }

    public string ModelsDirectory => _models.Path;

    public TrackComposer Composer => Services.GetRequiredService<TrackComposer>();

    public void Dispose()
    {
        Services.Dispose();
        _models.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class StudioGroup : ICollectionFixture<StudioFixture>
{
    public const string Name = "studio";
}
