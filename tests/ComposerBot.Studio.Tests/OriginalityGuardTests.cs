using ComposerBot.Composition;
using ComposerBot.Composition.Requests;
using ComposerBot.Music;
using ComposerBot.Music.LeadSheets;
using ComposerBot.Rendering;
using ComposerBot.Rendering.Encoding;
using ComposerBot.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ComposerBot.Studio.Tests;

/// <summary>
/// The originality guard, with a generator that copies a training melody for the request's own seed and
/// writes leaps no training melody has for any other seed.
/// </summary>
[Collection(StudioGroup.Name)]
public sealed class OriginalityGuardTests(StudioFixture studio) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private sealed class CopyingGenerator(Func<int, bool> copies) : ILeadSheetGenerator
    {
        public string Name => "copycat";

        public string ModelId => "copycat-1";

        public LeadSheet Generate(LeadSheetSpec spec, CancellationToken cancellationToken = default)
        {
            var beats = spec.Bars * spec.Meter.Numerator * 4 / spec.Meter.Denominator;
            var pitches = copies(spec.Seed)
                ? Melodies.Walk(0, beats) // the fixture's training melody t0
                : [.. Enumerable.Range(0, beats).Select(i => i % 2 == 0 ? 60 : 67 + (i % 4))]; // fifths: no training walk leaps so far
            var notes = pitches.Select((p, i) => new Note(p, (long)i * LeadSheet.Resolution, LeadSheet.Resolution, 90)).ToValueList();
            return new LeadSheet(spec.Meter with { Tick = 0 }, spec.Key, spec.Bpm, spec.Bars, notes, ValueList.From([new ChordSpan(0, spec.Bars * spec.Meter.TicksPerBar(LeadSheet.Resolution), new Chord(spec.Key.Tonic, ChordQuality.Major))]));
        }
    }

    private async Task<Receipt> ComposeWith(Func<int, bool> copies, int threshold, int attempts)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rendering:SoundFont"] = ExternalTools.SystemSoundFont,
            ["Models:Directory"] = studio.ModelsDirectory,
            ["Composer:OriginalityThreshold"] = threshold.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Composer:OriginalityAttempts"] = attempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddComposerRendering(configuration).AddComposerStudio(configuration)
            .AddSingleton<IReadOnlyList<ILeadSheetGenerator>>([new CopyingGenerator(copies)])
            .BuildServiceProvider();
        var request = new CompositionRequest { Style = Style.Piano, Key = new KeySignature(0, KeyMode.Major), LengthBars = 8, Seed = 3 };
        var result = await services.GetRequiredService<TrackComposer>().ComposeAsync(new ComposeOrder(request, null, _dir.Path, $"guard-{Guid.NewGuid():N}", AudioFormat.Ogg));
        return result.Receipt;
    }

    [Fact]
    public async Task A_melody_that_copies_a_training_tune_is_written_again_with_a_new_seed()
    {
        var receipt = await ComposeWith(seed => seed == 3, threshold: 10, attempts: 5);
        Assert.Equal(2, receipt.Originality.Attempts);
        Assert.True(receipt.Originality.Passed);
        Assert.InRange(receipt.Originality.LongestSharedRun, 0, 10);
    }

    [Fact]
    public async Task An_original_first_melody_is_kept_and_a_guard_that_cannot_pass_says_so()
    {
        var original = await ComposeWith(_ => false, threshold: 10, attempts: 5);
        Assert.Equal((1, true), (original.Originality.Attempts, original.Originality.Passed));

        // Every attempt copies: after the allowed attempts the receipt says the check was not passed.
        var copied = await ComposeWith(_ => true, threshold: 10, attempts: 3);
        Assert.Equal((3, false), (copied.Originality.Attempts, copied.Originality.Passed));
        Assert.True(copied.Originality.LongestSharedRun > 10);
    }
}
