using ComposerBot.Composition.Arrangement;
using ComposerBot.Composition.Planning;
using ComposerBot.Composition.Requests;
using ComposerBot.Rendering;
using ComposerBot.Rendering.Encoding;
using ComposerBot.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace ComposerBot.Studio.Tests;

/// <summary>The tune stays on top of its accompaniment, in every style, for the shipped n-gram composer's melodies.</summary>
public sealed class MelodyOnTopTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _work = new();

    public static TheoryData<Style> Styles => [.. Enum.GetValues<Style>()];

    [Theory]
    [MemberData(nameof(Styles))]
    public void At_most_5_percent_of_melody_notes_are_covered_by_a_louder_accompaniment_note(Style style)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Models:Directory"] = RepositoryPaths.Models,
            ["Composer:Generator"] = "ngram",
            ["Rendering:SoundFont"] = ExternalTools.SystemSoundFont,
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddComposerRendering(configuration).AddComposerStudio(configuration).BuildServiceProvider();
        var composer = services.GetRequiredService<TrackComposer>();
        var shares = new List<double>();
        var anyLevel = new List<double>();
        for (var seed = 1; seed <= 12; seed++)
        {
            var request = new CompositionRequest { Style = style, LengthSeconds = 40, Seed = seed };
            var sheet = composer.Sketch(new ComposeOrder(request, null, _work.Path, $"s{seed}", AudioFormat.Mp3));
            var score = Arranger.Arrange(sheet, FormPlanner.Plan(request.Resolve()));
            shares.Add(MelodyMasking.CoveredShare(score));
            anyLevel.Add(MelodyMasking.CoveredShare(score, marginDb: 100));
        }

        output.WriteLine($"{style}: covered by a louder note {shares.Average():P1}, by a note of any level {anyLevel.Average():P1} (worst seed {anyLevel.Max():P1})");
        Assert.True(shares.Average() <= 0.05, $"{style}: {shares.Average():P1} of melody notes covered by a louder accompaniment note");

        // Stricter than the issue asks: the voicings themselves keep out of the tune's band, whatever the mix's levels.
        Assert.True(anyLevel.Average() <= 0.05, $"{style}: {anyLevel.Average():P1} of melody notes have an accompaniment note in their band");
    }

    public void Dispose() => _work.Dispose();
}
