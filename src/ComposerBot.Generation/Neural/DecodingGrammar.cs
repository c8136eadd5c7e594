using ComposerBot.Composition;
using ComposerBot.Generation.Tokens;
using ComposerBot.Music;
using ComposerBot.Music.Forms;
using ComposerBot.Music.LeadSheets;
using ComposerBot.Music.Metrics;

namespace ComposerBot.Generation.Neural;

/// <summary>
/// The token grammar of one lead sheet being sampled, with the request's constraints, as a state machine:
/// <see cref="Allow"/> marks the tokens that may come next and <see cref="Accept"/> takes one. Every
/// sequence it allows decodes to a lead sheet with exactly the requested meter, key and bar count, a
/// melody in range and in key but for at most a given share of its notes, no more than <see cref="TheoryProfile.MaxRepeats"/> equal notes in a row,
/// chords in key (unless chromatic chords are allowed), notes that end by the last bar, and the tonic as
/// its last note. No state is a dead end: something is always allowed until <see cref="TokenKind.End"/>.
/// With a <see cref="BarForm"/>, a bar that restates an earlier one is written as its copy (positions,
/// chords, pitches and durations; moved by the form's interval when transposed; with the pitches of its
/// last quarter of notes left to the model when a variation) for as long as its tokens are allowed: where a
/// copied pitch is not, the model chooses that note's pitch and the copy goes on; from the first
/// other token that is not, the rest of the bar is the model's own. With <c>resolveLeaps</c>, no pitch
/// leaps (a fifth or more) the same way as a leap still open, RL Tuner's "leaping twice"
/// (<see cref="TheoryProfile.LeapOutcomes"/>), but for a last tonic where the range leaves no other.
/// </summary>
public sealed class DecodingGrammar
{
    private readonly LeadSheetTokenizer _tokenizer;
    private readonly KeySignature _key;
    private readonly int _bars;
    private readonly int _barSteps;
    private readonly int _lowestPitch;
    private readonly int _highestPitch;
    private readonly bool _chromaticChords;
    private readonly int[] _prompt;
    private int _prefixAccepted;
    private Expect _expect = Expect.Density;
    private int _bar;
    private int _step = -1;
    private int _repeatRun;
    private readonly BarForm? _form;
    private readonly double _chromaticShare;
    private int _chromatic;
    private readonly List<List<int>> _barTokens = [];
    private Follow? _follow;
    private readonly List<int> _pitches = [];
    private readonly int _shortest;
    private readonly bool _settledEnding;
    private int _lastOnset = int.MinValue / 2;
    private readonly bool _resolveLeaps;
    private OpenLeap _openLeap;

    /// <param name="shortest">
    /// The shortest note and onset spacing, in grid steps, the melody may have (0: any): 4, a triplet eighth,
    /// keeps sixteenth notes out of a tune, as most human tunes have none. The piece's last steps, or a last
    /// bar that has yet to reach its tonic, may still need a shorter one: there the grammar allows it.
    /// </param>
    /// <param name="settledEnding">
    /// Whether every note from the middle of the last bar on is the tonic, so a melody settles on it: without,
    /// the model, which does not plan its ending, often reaches the last beat off the tonic and the grammar
    /// can only squeeze short notes into the final steps until it lands.
    /// </param>
    /// <param name="resolveLeaps">Whether a pitch of the model's own may not leap the same way as an open leap (see the class summary).</param>
    public DecodingGrammar(LeadSheetTokenizer tokenizer, LeadSheetSpec spec, string feel = "other", int lowestPitch = 48, int highestPitch = 88, BarForm? form = null, double chromaticShare = 0, int shortest = 0, bool settledEnding = false, bool resolveLeaps = false)
    {
        if (Unsupported(spec) is { } reason)
        {
            throw new ArgumentException(reason, nameof(spec));
        }

        _tokenizer = tokenizer;
        _key = spec.Key;
        _bars = spec.Bars;
        _barSteps = (int)(spec.Meter.TicksPerBar(LeadSheet.Resolution) / LeadSheetTokenizer.TicksPerStep);
        _lowestPitch = Math.Max(lowestPitch, LeadSheetTokenizer.LowestPitch);
        _highestPitch = Math.Min(highestPitch, LeadSheetTokenizer.HighestPitch);
        _chromaticChords = spec.ChromaticChords;
        _chromaticShare = chromaticShare;
        _shortest = shortest;
        _settledEnding = settledEnding;
        _resolveLeaps = resolveLeaps;
        _form = form is null || form.Bars == spec.Bars ? form : form.FitTo(spec.Bars);
        _prompt =
        [
            tokenizer.Id(new(TokenKind.Begin)),
            tokenizer.Id(new(TokenKind.Feel, Math.Max(0, Array.IndexOf(LeadSheetTokenizer.Feels, feel)))),
            tokenizer.Id(new(TokenKind.Meter, Array.IndexOf(LeadSheetTokenizer.Meters, (spec.Meter.Numerator, spec.Meter.Denominator)))),
            tokenizer.Id(new(TokenKind.Key, spec.Key.Tonic)),
            tokenizer.Id(new(TokenKind.Mode, (int)spec.Key.Mode)),
            tokenizer.Id(new(TokenKind.Tempo, LeadSheetTokenizer.TempoBucket(spec.Bpm))),
            tokenizer.Id(new(TokenKind.Bars, spec.Bars)),
        ];
    }

    private enum Expect
    {
        Density,
        Event,
        AfterPosition,
        AfterChord,
        Duration,
        Done,
    }

    /// <summary>The conditioning tokens the request fixes; the model continues after them.</summary>
    public IReadOnlyList<int> Prompt => _prompt;

    public bool Finished => _expect == Expect.Done;

    /// <summary>The melody's pitches so far, in order.</summary>
    public IReadOnlyList<int> Pitches => _pitches;

    /// <summary>The form followed, or null when every bar is the model's own.</summary>
    public BarForm? Form => _form;

    /// <summary>Why the tokenizer cannot express this request, or null when it can.</summary>
    public static string? Unsupported(LeadSheetSpec spec) =>
        !LeadSheetTokenizer.Meters.Contains((spec.Meter.Numerator, spec.Meter.Denominator)) ? $"the neural composer has no meter {spec.Meter.Numerator}/{spec.Meter.Denominator}"
        : spec.Bars is < 1 or > LeadSheetTokenizer.MaxBars ? $"the neural composer writes 1 to {LeadSheetTokenizer.MaxBars} bars, not {spec.Bars}"
        : null;

    /// <summary>Grid steps from the current position to the end of the piece.</summary>
    private int StepsToEnd => (_bars * _barSteps) - (((_bar - 1) * _barSteps) + _step);

    private bool AtLastStep => _bar == _bars && _step == _barSteps - 1;

    private int? LastPitch => _pitches.Count > 0 ? _pitches[^1] : null;

    private bool EndsOnTonic => LastPitch is { } p && ((p - _key.Tonic) % 12 + 12) % 12 == 0;

    /// <summary>Sets <paramref name="allowed"/>[id] for every token that may come next (clearing the rest).</summary>
    public void Allow(Span<bool> allowed)
    {
        AllowByGrammar(allowed);
        if (_follow is null || _expect == Expect.Done)
        {
            return;
        }

        var wanted = _follow.Next(_tokenizer);
        if (wanted is { Id: var forced } && forced >= 0 && forced < allowed.Length && allowed[forced])
        {
            allowed.Clear();
            allowed[forced] = true;
            return;
        }

        if (wanted is { FreePitch: true } || (wanted is { Id: var id } && (id < 0 || _tokenizer[id].Kind == TokenKind.Pitch)))
        {
            // A variation's own note, or a copied pitch the grammar refuses here (out of range or key, a fifth
            // repeated too often, a leap doubled): any allowed pitch, nothing else, so the copy stays aligned.
            var (first, count) = _tokenizer.Range(TokenKind.Pitch);
            for (var i = 0; i < allowed.Length; i++)
            {
                allowed[i] &= i >= first && i < first + count;
            }

            if (allowed.Contains(true))
            {
                return;
            }
        }

        // The copy cannot go on here: the rest of the bar is the model's own.
        _follow = null;
        AllowByGrammar(allowed);
    }

    private void AllowByGrammar(Span<bool> allowed)
    {
        allowed.Clear();
        if (_prefixAccepted < _prompt.Length)
        {
            allowed[_prompt[_prefixAccepted]] = true;
            return;
        }

        switch (_expect)
        {
            case Expect.Density:
                AllowKind(allowed, TokenKind.Density, _ => true);
                break;
            case Expect.Event:
                AllowEventStart(allowed);
                break;
            case Expect.AfterPosition:
                AllowKind(allowed, TokenKind.Chord, ChordAllowed);
                AllowKind(allowed, TokenKind.Pitch, PitchAllowed);
                break;
            case Expect.AfterChord:
                AllowKind(allowed, TokenKind.Pitch, PitchAllowed);
                if (!(AtLastStep && !EndsOnTonic))
                {
                    AllowEventStart(allowed);
                }

                break;
            case Expect.Duration:
                var longest = Math.Min(LeadSheetTokenizer.MaxDurationSteps, StepsToEnd);
                var shortest = longest >= _shortest ? _shortest : 0;
                AllowKind(allowed, TokenKind.Duration, d => d <= longest && d >= shortest);
                break;
        }
    }

    /// <summary>Takes the next token; throws when the grammar does not allow it.</summary>
    public void Accept(int id)
    {
        Span<bool> allowed = stackalloc bool[_tokenizer.VocabularySize];
        Allow(allowed);
        Accept(id, allowed);
    }

    /// <summary>Takes the next token, checked against the mask <see cref="Allow"/> has just filled (a sampler's own, not computed again).</summary>
    internal void Accept(int id, ReadOnlySpan<bool> allowed)
    {
        if (id < 0 || id >= allowed.Length || !allowed[id])
        {
            throw new InvalidOperationException($"token {(id >= 0 && id < allowed.Length ? _tokenizer[id].ToString() : id.ToString(System.Globalization.CultureInfo.InvariantCulture))} is not allowed here.");
        }

        if (_prefixAccepted < _prompt.Length)
        {
            _prefixAccepted++;
            return;
        }

        var token = _tokenizer[id];
        if (token.Kind == TokenKind.Bar)
        {
            _barTokens.Add([]);
        }
        else if (_barTokens.Count > 0 && token.Kind != TokenKind.End)
        {
            _barTokens[^1].Add(id);
            _follow?.Advance(token.Kind);
        }

        switch (token.Kind)
        {
            case TokenKind.Density:
                _expect = Expect.Event;
                break;
            case TokenKind.Bar:
                _bar++;
                _step = -1;
                _expect = Expect.Event;
                _follow = FollowFor(_bar - 1);
                break;
            case TokenKind.Position:
                _step = token.Value;
                _lastOnset = ((_bar - 1) * _barSteps) + _step;
                _expect = Expect.AfterPosition;
                break;
            case TokenKind.Chord:
                _expect = Expect.AfterChord;
                break;
            case TokenKind.Pitch:
                _openLeap = LastPitch is { } previous ? _openLeap.After(previous, token.Value).Next : _openLeap;
                _chromatic += MelodyScale.InKey(_key, token.Value) ? 0 : 1;
                _repeatRun = LastPitch == token.Value ? _repeatRun + 1 : 1;
                _pitches.Add(token.Value);
                _expect = Expect.Duration;
                break;
            case TokenKind.Duration:
                _expect = Expect.Event;
                break;
            case TokenKind.End:
                _expect = Expect.Done;
                break;
        }
    }

    /// <summary>The copy to write in bar <paramref name="bar"/> (0-based), when the form has it restate an earlier bar.</summary>
    private Follow? FollowFor(int bar)
    {
        if (_form is null || bar >= _form.Bars || _form.Sources[bar] < 0 || _form.Sources[bar] >= bar)
        {
            return null;
        }

        var tokens = _barTokens[_form.Sources[bar]];
        var notes = tokens.Count(t => _tokenizer[t].Kind == TokenKind.Pitch);
        var freeFrom = _form.Relations[bar] == BarRelation.Variation ? (int)Math.Floor(MelodyStructure.VariationThreshold * notes) : int.MaxValue;
        var shift = _form.Relations[bar] == BarRelation.Exact ? 0 : _form.Shifts[bar];
        return new Follow(tokens, shift, freeFrom, more: bar + 1 < _bars);
    }

    /// <summary>A bar being written as a copy of an earlier one: the source's tokens, moved by an interval, some pitches free.</summary>
    private sealed class Follow(IReadOnlyList<int> source, int shift, int freePitchFrom, bool more)
    {
        private int _index;
        private int _notes;

        /// <summary>The token the copy wants next (Id -1: none; FreePitch: a pitch of the model's choice), or null at the end of a last bar.</summary>
        public (int Id, bool FreePitch)? Next(LeadSheetTokenizer tokenizer)
        {
            if (_index >= source.Count)
            {
                return more ? (tokenizer.Id(new(TokenKind.Bar)), false) : null;
            }

            var token = tokenizer[source[_index]];
            switch (token.Kind)
            {
                case TokenKind.Pitch when _notes >= freePitchFrom:
                    return (-1, true);
                case TokenKind.Pitch:
                    var pitch = token.Value + shift;
                    return (pitch is >= LeadSheetTokenizer.LowestPitch and <= LeadSheetTokenizer.HighestPitch ? tokenizer.Id(new(TokenKind.Pitch, pitch)) : -1, false);
                case TokenKind.Chord when shift != 0:
                    var root = ((token.Value / 8) + shift) % 12;
                    return (tokenizer.Id(new(TokenKind.Chord, ((root + 12) % 12 * 8) + (token.Value % 8))), false);
                default:
                    return (source[_index], false);
            }
        }

        /// <summary>The token asked for (of this kind) was taken.</summary>
        public void Advance(TokenKind kind)
        {
            _index++;
            _notes += kind == TokenKind.Pitch ? 1 : 0;
        }
    }

    private void AllowEventStart(Span<bool> allowed)
    {
        if (_bar < _bars)
        {
            allowed[_tokenizer.Id(new(TokenKind.Bar))] = true;
        }

        if (_bar >= 1)
        {
            // Spaced at least the shortest spacing from the last onset (in this bar or the one before), and in
            // the last bar not starting too near the end to last that long, unless only such a note can still
            // bring the last bar to its tonic.
            var after = Math.Max(_step, _lastOnset + Math.Max(1, _shortest) - 1 - ((_bar - 1) * _barSteps));
            var before = _bar == _bars ? _barSteps - Math.Max(0, _shortest - 1) : _barSteps;
            if (_bar == _bars && !EndsOnTonic && after >= before - 1)
            {
                (after, before) = (_step, _barSteps);
            }

            AllowKind(allowed, TokenKind.Position, p => p > after && p < before);
        }

        if (_bar == _bars && EndsOnTonic)
        {
            allowed[_tokenizer.Id(new(TokenKind.End))] = true;
        }
    }

    private bool PitchAllowed(int pitch)
    {
        var tonicOnly = AtLastStep || (_settledEnding && _bar == _bars && 2 * _step >= _barSteps);
        return pitch >= _lowestPitch && pitch <= _highestPitch
            && (MelodyScale.InKey(_key, pitch) || ChromaticAllowed)
            && !RepeatsTooOften(pitch)
            && (!tonicOnly || ((pitch - _key.Tonic) % 12 + 12) % 12 == 0)
            && (!DoublesLeap(pitch) || (tonicOnly && !TonicWithoutDoubling()));
    }

    /// <summary>Whether a tonic the melody may end on leaves the open leap alone (at the range's edge it may not: then any tonic will do).</summary>
    private bool TonicWithoutDoubling()
    {
        for (var pitch = _lowestPitch + ((_key.Tonic - _lowestPitch) % 12 + 12) % 12; pitch <= _highestPitch; pitch += 12)
        {
            if (!DoublesLeap(pitch) && !RepeatsTooOften(pitch))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="pitch"/> would be a fifth equal note in a row.</summary>
    private bool RepeatsTooOften(int pitch) => pitch == LastPitch && _repeatRun >= TheoryProfile.MaxRepeats;

    /// <summary>Whether <paramref name="pitch"/> would leap the same way as the leap still open (only with resolveLeaps).</summary>
    private bool DoublesLeap(int pitch) => _resolveLeaps && LastPitch is { } last && _openLeap.Doubles(last, pitch);

    /// <summary>An out-of-key note, while the melody's share of them stays within the budget.</summary>
    private bool ChromaticAllowed => _chromaticShare > 0 && _chromatic + 1 <= _chromaticShare * (_pitches.Count + 1);

    private bool ChordAllowed(int value)
    {
        if (_chromaticChords)
        {
            return true;
        }

        var chord = new Chord(value / 8, (ChordQuality)(value % 8));
        foreach (var pc in chord.PitchClasses)
        {
            if (!MelodyScale.InKey(_key, pc + 60))
            {
                return false;
            }
        }

        return true;
    }

    private void AllowKind(Span<bool> allowed, TokenKind kind, Func<int, bool> predicate)
    {
        var (first, count) = _tokenizer.Range(kind);
        for (var i = 0; i < count; i++)
        {
            if (predicate(_tokenizer[first + i].Value))
            {
                allowed[first + i] = true;
            }
        }
    }
}
