using ComposerBot.Composition.Arrangement;
using ComposerBot.Composition.Planning;
using ComposerBot.Composition.Requests;
using ComposerBot.Music;
using ComposerBot.Rendering;
using ComposerBot.Rendering.Encoding;
using ComposerBot.Rendering.SoundFonts;
using ComposerBot.Rendering.Synthesis;
using ComposerBot.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace ComposerBot.Studio.Tests;

/// <summary>
/// Every style's parts against the SoundFonts that play them, read from the files themselves: each preset a
/// part selects exists (no silent fallback to another program), every note it plays sounds, and in the
/// default SoundFont at most 2% of a part's notes lie more than a fourth beyond the keys its instrument was
/// sampled at (the SoundFont's samples follow the real instrument's range: a horn's stop at E flat 5, a
/// violin's at D7), and no drum hit plays a pitched sample a fourth off its key.
/// </summary>
public sealed class SoundFontCoverageTests(ITestOutputHelper output) : IDisposable
{
    private const int MaxStretch = 5;

    /// <summary>A rock solo's top notes: real guitars reach E6, MuseScore General's top guitar sample is G5.</summary>
    private const double MaxStretchedShare = 0.02;
    private readonly TempDirectory _work = new();
    private ServiceProvider? _services;

    public static TheoryData<Style> Styles => [.. Enum.GetValues<Style>()];

    [Theory]
    [MemberData(nameof(Styles))]
    public void Every_part_plays_presets_the_default_soundfont_has_inside_their_sampled_range(Style style)
    {
        var main = SoundFontMap.Read(SoundFontLocator.Resolve(new RenderingOptions()));
        var overlay = SoundFontMap.Read(ChipSoundFont.Ensure(_work.Path));
        var problems = new List<string>();
        foreach (var (part, notes) in PartsOf(style))
        {
            var (stretched, silent, missing) = (0, 0, new HashSet<(int, int)>());
            foreach (var (bank, program, note) in notes)
            {
                var map = overlay.HasPreset(bank, program) ? overlay : main;
                if (!map.HasPreset(bank, program))
                {
                    missing.Add((bank, program));
                    continue;
                }

                var sounding = map.Sounding(bank, program, note.Pitch, note.Velocity);
                silent += sounding.Count == 0 ? 1 : 0;
                stretched += Stretch(map, bank, program, note, sounding) > MaxStretch ? 1 : 0;
            }

            output.WriteLine($"{style} {part}: {notes.Count} notes, keys {notes.Min(n => n.Note.Pitch)}-{notes.Max(n => n.Note.Pitch)}, presets {string.Join(", ", notes.Select(n => $"{n.Bank}:{n.Program}").Distinct())}; silent {silent}, over a fourth beyond the sampled range {stretched}");
            problems.AddRange(missing.Select(p => $"{part} selects bank {p.Item1} program {p.Item2}, which {Path.GetFileName(SoundFontLocator.Resolve(new RenderingOptions()))} lacks"));
            if (silent > 0)
            {
                problems.Add($"{part}: {silent} notes no zone plays");
            }

            if (stretched > MaxStretchedShare * notes.Count)
            {
                problems.Add($"{part}: {stretched} of {notes.Count} notes more than {MaxStretch} semitones beyond the instrument's sampled range");
            }
        }

        Assert.True(problems.Count == 0, $"{style}: {string.Join("; ", problems)}");
    }

    [Theory]
    [MemberData(nameof(Styles))]
    public void The_fallback_soundfont_has_every_preset_and_plays_every_note(Style style)
    {
        var fallback = SoundFontMap.Read(ExternalTools.SystemSoundFont);
        var overlay = SoundFontMap.Read(ChipSoundFont.Ensure(_work.Path));
        foreach (var (part, notes) in PartsOf(style))
        {
            foreach (var (bank, program, note) in notes)
            {
                var map = overlay.HasPreset(bank, program) ? overlay : fallback;
                Assert.True(map.HasPreset(bank, program), $"{style} {part}: FluidR3_GM lacks bank {bank} program {program}");
                Assert.True(map.Sounding(bank, program, note.Pitch, note.Velocity).Count > 0, $"{style} {part}: key {note.Pitch} at velocity {note.Velocity} is silent in bank {bank} program {program}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Styles))]
    public void The_presets_loaded_before_arranging_are_the_ones_the_parts_start_on(Style style)
    {
        foreach (var request in new[]
        {
            new CompositionRequest { Style = style, LengthSeconds = 20, Seed = 3 },
            new CompositionRequest { Style = style, LengthSeconds = 20, Seed = 3, Drums = false },
            new CompositionRequest { Style = style, LengthSeconds = 20, Seed = 3, Instruments = new Dictionary<InstrumentRole, int> { [InstrumentRole.Melody] = 73 } },
        })
        {
            var resolved = request.Resolve();
            var sheet = Composer().Sketch(new ComposeOrder(request, null, _work.Path, "s", AudioFormat.Mp3));
            var score = Arranger.Arrange(sheet, FormPlanner.Plan(resolved));
            var first = score.Tracks.Select(t => new PresetRef(t.IsDrum ? 128 : 0, t.Program, t.IsDrum)).ToHashSet();
            Assert.Equal(first.OrderBy(p => (p.Bank, p.Program)), TrackComposer.StartingPresets(resolved).OrderBy(p => (p.Bank, p.Program)));
        }
    }

    /// <summary>
    /// How far a note stretches a sample: for a kit, each key its own sample, the distance from that
    /// sample's key when its pitch follows the key (a crash on the orchestra kit's timpani is 11); for an
    /// instrument, how far the note lies beyond the keys it was sampled at.
    /// </summary>
    private static int Stretch(SoundFontMap map, int bank, int program, Note note, IReadOnlyList<SoundingSample> sounding)
    {
        if (bank == 128)
        {
            return sounding.Where(s => s.FollowsKey).Select(s => Math.Abs(note.Pitch - s.RootKey)).DefaultIfEmpty(0).Max();
        }

        return map.SampledRange(bank, program, note.Velocity) is { } range ? Math.Max(0, Math.Max(range.Low - note.Pitch, note.Pitch - range.High)) : 0;
    }

    /// <summary>Each part of twelve arranged pieces (the shipped n-gram composer's melodies), every note with the bank and program it plays on.</summary>
    private Dictionary<string, List<(int Bank, int Program, Note Note)>> PartsOf(Style style)
    {
        var composer = Composer();
        var parts = new Dictionary<string, List<(int, int, Note)>>();
        for (var seed = 1; seed <= 12; seed++)
        {
            var request = new CompositionRequest { Style = style, LengthSeconds = 40, Seed = seed };
            var sheet = composer.Sketch(new ComposeOrder(request, null, _work.Path, $"s{seed}", AudioFormat.Mp3));
            foreach (var track in Arranger.Arrange(sheet, FormPlanner.Plan(request.Resolve())).Tracks)
            {
                if (!parts.TryGetValue(track.Name, out var notes))
                {
                    parts[track.Name] = notes = [];
                }

                notes.AddRange(ScoreSynthesizer.PresetsOf(track).Select(p => (p.Preset.Bank, p.Preset.Program, p.Note)));
            }
        }

        return parts;
    }

    /// <summary>The composer with the shipped n-gram model (its services kept for the test's life).</summary>
    private TrackComposer Composer()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Models:Directory"] = RepositoryPaths.Models,
            ["Composer:Generator"] = "ngram",
            ["Rendering:SoundFont"] = ExternalTools.SystemSoundFont,
        }).Build();
        _services ??= new ServiceCollection().AddLogging().AddComposerRendering(configuration).AddComposerStudio(configuration).BuildServiceProvider();
        return _services.GetRequiredService<TrackComposer>();
    }

    public void Dispose()
    {
        _services?.Dispose();
        _work.Dispose();
    }
}
