using System.CommandLine;
using ComposerBot.Composition.Prompts;
using ComposerBot.Composition.Requests;

namespace ComposerBot.Cli.Commands;

/// <summary>The prompt and the options that describe a track, shared by compose (here and now) and submit (through the queue).</summary>
public sealed class TrackOptionSet
{
    private readonly Argument<string> _prompt = new("prompt") { Description = "What to compose, in plain English: style, mood, length, tempo, key, loop, stinger, no drums...", DefaultValueFactory = _ => "" };
    private readonly Option<Style?> _style = new("--style") { Description = "chiptune, orchestral, lofi, rock, ambient, piano, folk or synthwave." };
    private readonly Option<Mood?> _mood = new("--mood") { Description = "neutral, calm, happy, sad, tense, epic, dark, dreamy, playful or triumphant." };
    private readonly Option<double?> _tempo = new("--tempo") { Description = "Beats per minute (40-240)." };
    private readonly Option<string?> _key = new("--key") { Description = "A key such as 'D minor', 'F#m' or 'Bb major'." };
    private readonly Option<string?> _meter = new("--meter") { Description = "A meter such as 4/4, 3/4 or 6/8." };
    private readonly Option<string?> _length = new("--length") { Description = "Seconds or bars: '45s', '2 min', '1:30', '16 bars'." };
    private readonly Option<bool> _loop = new("--loop") { Description = "A seamless loop, with loop points in the file and the receipt." };
    private readonly Option<bool> _stinger = new("--stinger") { Description = "A short jingle (1-10 s) of exact length that ends on a hit." };
    private readonly Option<bool> _stems = new("--stems") { Description = "Also write one FLAC per part (melody, harmony, bass, drums) that sum to the mix." };
    private readonly Option<bool> _noDrums = new("--no-drums") { Description = "Leave the drums out." };
    private readonly Option<int> _seed = new("--seed") { Description = "The seed: the same prompt and seed give the same track.", DefaultValueFactory = _ => 1 };
    private readonly Option<string?> _feel = new("--feel") { Description = "A feel: a tune cluster of models/clusters.json (jig, reel, waltz, hornpipe, chorale, ...)." };

    public Option<int> Seed => _seed;

    public void AddTo(Command command)
    {
        command.Arguments.Add(_prompt);
        foreach (var option in new Option[] { _style, _mood, _tempo, _key, _meter, _length, _loop, _stinger, _stems, _noDrums, _seed, _feel })
        {
            command.Options.Add(option);
        }
    }

    public TrackOptions Read(ParseResult parse) => new()
    {
        Prompt = parse.GetValue(_prompt) ?? "",
        Style = parse.GetValue(_style),
        Mood = parse.GetValue(_mood),
        Tempo = parse.GetValue(_tempo),
        Key = parse.GetValue(_key),
        Meter = parse.GetValue(_meter),
        Length = parse.GetValue(_length),
        Loop = parse.GetValue(_loop),
        Stinger = parse.GetValue(_stinger),
        Stems = parse.GetValue(_stems),
        NoDrums = parse.GetValue(_noDrums),
        Feel = parse.GetValue(_feel),
        Seed = parse.GetValue(_seed),
    };
}
