using ComposerBot.Composition;
using ComposerBot.Generation.Tokens;
using ComposerBot.Music;
using ComposerBot.Music.LeadSheets;
using ComposerBot.Music.Metrics;

namespace ComposerBot.Generation.Neural;

/// <summary>
/// The token grammar of one lead sheet being sampled, with the request's constraints, as a state machine:
/// <see cref="Allow"/> marks the tokens that may come next and <see cref="Accept"/> takes one. Every
/// sequence it allows decodes to a lead sheet with exactly the requested meter, key and bar count, a
/// melody in key and in range, no more than <see cref="TheoryProfile.MaxRepeats"/> equal notes in a row,
/// chords in key (unless chromatic chords are allowed), notes that end by the last bar, and the tonic as
/// its last note. No state is a dead end: something is always allowed until <see cref="TokenKind.End"/>.
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
    private int? _lastPitch;
    private int _repeatRun;

    public DecodingGrammar(LeadSheetTokenizer tokenizer, LeadSheetSpec spec, string feel = "other", int lowestPitch = 48, int highestPitch = 88)
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

    /// <summary>Why the tokenizer cannot express this request, or null when it can.</summary>
    public static string? Unsupported(LeadSheetSpec spec) =>
        !LeadSheetTokenizer.Meters.Contains((spec.Meter.Numerator, spec.Meter.Denominator)) ? $"the neural composer has no meter {spec.Meter.Numerator}/{spec.Meter.Denominator}"
        : spec.Bars is < 1 or > LeadSheetTokenizer.MaxBars ? $"the neural composer writes 1 to {LeadSheetTokenizer.MaxBars} bars, not {spec.Bars}"
        : null;

    /// <summary>Grid steps from the current position to the end of the piece.</summary>
    private int StepsToEnd => (_bars * _barSteps) - (((_bar - 1) * _barSteps) + _step);

    private bool AtLastStep => _bar == _bars && _step == _barSteps - 1;

    private bool EndsOnTonic => _lastPitch is { } p && ((p - _key.Tonic) % 12 + 12) % 12 == 0;

    /// <summary>Sets <paramref name="allowed"/>[id] for every token that may come next (clearing the rest).</summary>
    public void Allow(Span<bool> allowed)
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
                AllowKind(allowed, TokenKind.Duration, d => d <= longest);
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
        switch (token.Kind)
        {
            case TokenKind.Density:
                _expect = Expect.Event;
                break;
            case TokenKind.Bar:
                _bar++;
                _step = -1;
                _expect = Expect.Event;
                break;
            case TokenKind.Position:
                _step = token.Value;
                _expect = Expect.AfterPosition;
                break;
            case TokenKind.Chord:
                _expect = Expect.AfterChord;
                break;
            case TokenKind.Pitch:
                _repeatRun = _lastPitch == token.Value ? _repeatRun + 1 : 1;
                _lastPitch = token.Value;
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

    private void AllowEventStart(Span<bool> allowed)
    {
        if (_bar < _bars)
        {
            allowed[_tokenizer.Id(new(TokenKind.Bar))] = true;
        }

        if (_bar >= 1)
        {
            AllowKind(allowed, TokenKind.Position, p => p > _step && p < _barSteps);
        }

        if (_bar == _bars && EndsOnTonic)
        {
            allowed[_tokenizer.Id(new(TokenKind.End))] = true;
        }
    }

    private bool PitchAllowed(int pitch) =>
        pitch >= _lowestPitch && pitch <= _highestPitch
        && MelodyScale.InKey(_key, pitch)
        && !(pitch == _lastPitch && _repeatRun >= TheoryProfile.MaxRepeats)
        && (!AtLastStep || ((pitch - _key.Tonic) % 12 + 12) % 12 == 0);

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
