using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ComposerBot.Composition;
using ComposerBot.Composition.Requests;
using ComposerBot.Generation.Tokens;
using ComposerBot.Music;
using ComposerBot.Music.Forms;
using ComposerBot.Music.LeadSheets;

namespace ComposerBot.Generation.Neural;

/// <summary>
/// The neural lead-sheet generator: samples tokens from the Transformer with the KV cache, one step per
/// token for a whole batch at once, masking at every step what the <see cref="DecodingGrammar"/> forbids,
/// so the request's meter, key, bar count and tonic ending hold by construction. Each sequence draws from
/// its own seeded generator: the same spec and seed give the same lead sheet, alone or in a batch.
/// With a <see cref="FormLibrary"/>, each melody follows a form of the training tunes (the spec's own
/// <see cref="LeadSheetSpec.Form"/> first), chosen by the seed among those of its meter, length and feel.
/// </summary>
public sealed class NeuralComposer(ITokenDecoder decoder, string modelId, SamplingOptions? options = null, FormLibrary? forms = null) : ILeadSheetGenerator
{
    /// <summary>A composer sampling the model as compose does (<see cref="ITokenDecoder.For"/>: on the processor, a copy of its weights as they are now).</summary>
    public NeuralComposer(MusicTransformer model, string modelId, SamplingOptions? options = null, FormLibrary? forms = null)
        : this(ITokenDecoder.For(model), modelId, options, forms)
    {
    }

    private readonly LeadSheetTokenizer _tokenizer = new();
    private readonly SamplingOptions _options = options ?? new SamplingOptions();
    private readonly float[] _durationBias = DurationBiasByToken(options?.Calibration);

    /// <summary>The fewest bars for which a request's candidates are sampled at once.</summary>
    public const int ConcurrentFromBars = 8;

    /// <summary>How many <see cref="GenerateBatch"/> calls are running now (in any thread).</summary>
    private int _generating;

    public string Name => "model";

    public string ModelId => modelId;

    /// <summary>SHA-256 of the calibration and the critic (with its number of candidates) this composer samples with; null with neither.</summary>
    public string? SamplingId { get; } = SamplingHash(options);

    public LeadSheet Generate(LeadSheetSpec spec, CancellationToken cancellationToken = default) => GenerateBatch([spec], cancellationToken)[0];

    public bool Supports(LeadSheetSpec spec) => DecodingGrammar.Unsupported(spec) is null;

    /// <summary>
    /// One lead sheet per spec. With a critic, up to <see cref="SamplingOptions.Candidates"/> melodies per spec,
    /// in rounds: the first with the spec's own seed, each next one (seeds derived from it) only for the specs
    /// whose best melody so far the critic does not accept; the most human is kept. A round samples its specs
    /// in one batch, and a spec's candidates do not depend on the others', so the same spec and seed still
    /// give the same lead sheet, alone or in a batch. With <see cref="SamplingOptions.ConcurrentCandidates"/>
    /// above one, no other generation running on this composer (a process has one) and
    /// <see cref="ConcurrentFromBars"/> bars or more, that many rounds are sampled at once on as many threads
    /// and then judged in order, a later one set aside unread when an earlier one is accepted: the same lead
    /// sheets, sooner where cores are idle.
    /// </summary>
    public IReadOnlyList<LeadSheet> GenerateBatch(IReadOnlyList<LeadSheetSpec> specs, CancellationToken cancellationToken = default)
    {
        if (_options.Critic is not { } critic || _options.Candidates <= 1)
        {
            return [.. SampleTokens(specs, cancellationToken).Select((tokens, i) => ToLeadSheet(tokens, specs[i]))];
        }

        // Only a generation that runs alone on this composer samples candidates at once: beside another (a
        // kit's pieces, a second worker) the cores are taken, and the candidates thrown away would slow both.
        // A short melody is sampled before a second thread pays for itself (and the synthesizers of a short
        // piece are being prepared meanwhile): a 4-second stinger's sampling took 0.074 s two at a time
        // against 0.056 s one at a time (benchmarks/RESULTS.md, 2026-11-28), a 60-second track's 0.48 s
        // against 0.63 s.
        var alone = Interlocked.Increment(ref _generating) == 1;
        try
        {
            var width = alone && specs.Max(s => s.Bars) >= ConcurrentFromBars ? Math.Clamp(_options.ConcurrentCandidates, 1, _options.Candidates) : 1;
            return Choose(specs, critic, width, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _generating);
        }
    }

    /// <summary>The critic's choice among each spec's candidates, sampled <paramref name="width"/> rounds at a time.</summary>
    private LeadSheet[] Choose(IReadOnlyList<LeadSheetSpec> specs, MelodyCritic critic, int width, CancellationToken cancellationToken)
    {
        var best = new LeadSheet[specs.Count];
        var bestScore = Enumerable.Repeat(double.PositiveInfinity, specs.Count).ToArray();
        var pending = Enumerable.Range(0, specs.Count).ToList();
        for (var first = 0; first < _options.Candidates && pending.Count > 0; first += width)
        {
            var sampledFor = pending;
            var rounds = Enumerable.Range(first, Math.Min(width, _options.Candidates - first))
                .Select(candidate => sampledFor.Select(i => Candidate(specs[i], candidate)).ToList())
                .ToList();
            var sampled = SampleRounds(rounds, cancellationToken);
            for (var r = 0; r < rounds.Count && pending.Count > 0; r++)
            {
                var rejected = new List<int>(pending.Count);
                for (var j = 0; j < sampledFor.Count; j++)
                {
                    var i = sampledFor[j];
                    if (!pending.Contains(i))
                    {
                        continue;
                    }

                    var sheet = ToLeadSheet(sampled[r][j], rounds[r][j]);
                    var score = critic.Score(sheet);
                    if (score < bestScore[i])
                    {
                        (best[i], bestScore[i]) = (sheet, score);
                    }

                    if (!critic.Accepts(bestScore[i], specs[i].Feel))
                    {
                        rejected.Add(i);
                    }
                }

                pending = rejected;
            }
        }

        return best;
    }

    /// <summary>Each round's token sequences: one round on this thread, several at once on their own threads.</summary>
    private IReadOnlyList<IReadOnlyList<int[]>> SampleRounds(List<List<LeadSheetSpec>> rounds, CancellationToken cancellationToken)
    {
        if (rounds.Count == 1)
        {
            return [SampleTokens(rounds[0], cancellationToken)];
        }

        var sampled = new IReadOnlyList<int[]>[rounds.Count];
        try
        {
            Parallel.For(0, rounds.Count, new ParallelOptions { MaxDegreeOfParallelism = rounds.Count }, r => sampled[r] = SampleTokens(rounds[r], cancellationToken));
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerExceptions[0]);
        }

        return sampled;
    }

    /// <summary>The spec of a request's candidate: its own for the first, a seed derived from its seed for the others.</summary>
    public static LeadSheetSpec Candidate(LeadSheetSpec spec, int candidate) =>
        candidate == 0 ? spec : spec with { Seed = StableSeed.Combine(spec.Seed, candidate, 0xc417) };

    /// <summary>The sampled token sequences, prompt included, one per spec.</summary>
    public IReadOnlyList<int[]> SampleTokens(IReadOnlyList<LeadSheetSpec> specs, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfZero(specs.Count);
        foreach (var spec in specs)
        {
            if (DecodingGrammar.Unsupported(spec) is { } reason)
            {
                throw new CompositionException($"{reason}.");
            }
        }

        var grammars = specs.Select(s => new DecodingGrammar(_tokenizer, s, s.Feel ?? "other", _options.LowestPitch, _options.HighestPitch, FormFor(s), _options.ChromaticShare,
            _options.Calibration?.ShortestSteps(s.Seed, s.Feel ?? "other") ?? 0, _options.SettledEnding, _options.ResolveLeaps)).ToArray();
        var randoms = specs.Select(s => new Random(s.Seed)).ToArray();
        var sequences = grammars.Select(g => new List<int>(g.Prompt)).ToArray();
        foreach (var g in grammars)
        {
            foreach (var id in g.Prompt)
            {
                g.Accept(id);
            }
        }

        var context = decoder.Config.Context;
        var vocabulary = _tokenizer.VocabularySize;
        var allowed = new bool[vocabulary];
        var pad = _tokenizer.Id(new(TokenKind.Pad));
        var cached = _options.UseKvCache;
        using var session = decoder.Open(specs.Count, cached);
        var logits = Prefill(sequences, session, cached);
        var forced = new int[specs.Count];
        var forcedAllowed = specs.Select(_ => new bool[vocabulary]).ToArray();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var run = new List<long[]> { new long[specs.Count] };
            for (var i = 0; i < specs.Count; i++)
            {
                if (grammars[i].Finished)
                {
                    run[0][i] = pad;
                    continue;
                }

                grammars[i].Allow(allowed);
                Calibrate(logits.AsSpan(i * vocabulary, vocabulary), allowed);
                Penalize(logits.AsSpan(i * vocabulary, vocabulary), allowed, grammars[i].Pitches);
                var id = Sample(logits.AsSpan(i * vocabulary, vocabulary), allowed, specs[i].Temperature, randoms[i]);
                grammars[i].Accept(id, allowed);
                run[0][i] = id;
            }

            // Tokens the grammar forces (a restated bar's copy, a bar line) need no sampling: they go to the
            // model together with the sampled one, one step for the run, while every sequence has one.
            while (cached && session.Length + run.Count < context && Forced(grammars, forcedAllowed, pad, forced))
            {
                run.Add([.. forced.Select(id => (long)id)]);
            }

            foreach (var step in run)
            {
                for (var i = 0; i < specs.Count; i++)
                {
                    sequences[i].Add((int)step[i]);
                }
            }

            if (grammars.All(g => g.Finished))
            {
                break;
            }

            if (!cached || session.Length + run.Count > context)
            {
                // No cache: re-run the whole (windowed) prefix. A full cache: restart it from the conditioning
                // prefix and the latest half-context of tokens, as the model was trained on long pieces.
                session.Clear();
                logits = Prefill(sequences, session, cached);
                continue;
            }

            // Row by row: each sequence's tokens of the run in order.
            var input = new long[specs.Count * run.Count];
            for (var i = 0; i < specs.Count; i++)
            {
                for (var t = 0; t < run.Count; t++)
                {
                    input[(i * run.Count) + t] = run[t][i];
                }
            }

            logits = session.Decode(input, run.Count);
        }

        return [.. sequences.Select(s => s.Where(id => id != pad).ToArray())];
    }

    /// <summary>
    /// When the grammar leaves every unfinished sequence exactly one token (a finished one: padding),
    /// accepts those tokens and gives them in <paramref name="forced"/>; otherwise (several tokens allowed,
    /// or none) changes nothing.
    /// </summary>
    private static bool Forced(DecodingGrammar[] grammars, bool[][] allowed, int pad, int[] forced)
    {
        if (grammars.All(g => g.Finished))
        {
            return false;
        }

        for (var i = 0; i < grammars.Length; i++)
        {
            if (grammars[i].Finished)
            {
                forced[i] = pad;
                continue;
            }

            grammars[i].Allow(allowed[i]);
            var only = Array.IndexOf(allowed[i], true);
            if (only < 0 || Array.IndexOf(allowed[i], true, only + 1) >= 0)
            {
                return false; // nothing allowed (the sampling step reports it), or a choice to sample
            }

            forced[i] = only;
        }

        for (var i = 0; i < grammars.Length; i++)
        {
            if (!grammars[i].Finished)
            {
                grammars[i].Accept(forced[i], allowed[i]);
            }
        }

        return true;
    }

    /// <summary>The form a spec's melody follows: its own, else one of the library's, else none.</summary>
    public BarForm? FormFor(LeadSheetSpec spec) =>
        spec.Form ?? forms?.Pick(spec.Meter.Numerator, spec.Meter.Denominator, spec.Bars, spec.Feel, spec.Seed);

    /// <summary>
    /// Feeds each sequence (windowed: the conditioning prefix and the latest tokens) to an empty session and
    /// returns the next-token logits.
    /// </summary>
    private float[] Prefill(List<int>[] sequences, IDecodingSession session, bool cached)
    {
        var context = decoder.Config.Context;
        var length = sequences[0].Count;
        var keep = cached ? context / 2 : context;
        var rows = sequences.Select(s => length <= keep ? s : [.. s.Take(Training.SequenceWindows.PrefixLength), .. s.Skip(length - (keep - Training.SequenceWindows.PrefixLength))]).ToList();
        return session.Decode(rows.SelectMany(r => r.Select(id => (long)id)).ToArray(), rows[0].Count);
    }

    private static string? SamplingHash(SamplingOptions? options)
    {
        var critic = options is { Critic: { } c, Candidates: > 1 } ? c : null;
        if (options?.Calibration is null && critic is null)
        {
            return null;
        }

        var text = JsonSerializer.Serialize(options!.Calibration, CalibrationJsonContext.Default.SamplingCalibration)
            + "\n" + JsonSerializer.Serialize(critic, CriticJsonContext.Default.MelodyCritic)
            + "\n" + (critic is null ? 1 : options.Candidates).ToString(System.Globalization.CultureInfo.InvariantCulture)
            + (options.ResolveLeaps ? "\nresolve-leaps" : "");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>The calibration's note-length offsets, by token id (zero for every other token).</summary>
    private static float[] DurationBiasByToken(SamplingCalibration? calibration)
    {
        var tokenizer = new LeadSheetTokenizer();
        var bias = new float[tokenizer.VocabularySize];
        if (calibration is not null)
        {
            var (first, count) = tokenizer.Range(TokenKind.Duration);
            for (var id = first; id < first + count; id++)
            {
                bias[id] = (float)calibration.DurationBias[tokenizer[id].Value];
            }
        }

        return bias;
    }

    /// <summary>Adds the calibration's note-length offsets to the allowed duration tokens.</summary>
    private void Calibrate(Span<float> logits, ReadOnlySpan<bool> allowed)
    {
        if (_options.Calibration is null)
        {
            return;
        }

        var (first, count) = _tokenizer.Range(TokenKind.Duration);
        for (var id = first; id < first + count; id++)
        {
            logits[id] += allowed[id] ? _durationBias[id] : 0;
        }
    }

    /// <summary>
    /// Lowers each allowed pitch's logit by the recurrence penalty times how often its pitch class sounded in
    /// the window and adds the calibration's offset for its step from the last note, then shifts them all so
    /// that the pitches together keep the probability the model gave them (against a chord, a bar line or a
    /// rest): the penalty and the calibration choose among pitches, not whether a note comes.
    /// </summary>
    private void Penalize(Span<float> logits, ReadOnlySpan<bool> allowed, IReadOnlyList<int> pitches)
    {
        var intervals = _options.Calibration?.IntervalBias;
        if ((_options.RecurrencePenalty <= 0 && intervals is null) || pitches.Count == 0)
        {
            return;
        }

        Span<int> counts = stackalloc int[12];
        for (var n = Math.Max(0, pitches.Count - _options.RecurrenceWindow); n < pitches.Count; n++)
        {
            counts[pitches[n] % 12]++;
        }

        var (first, count) = _tokenizer.Range(TokenKind.Pitch);
        var max = float.NegativeInfinity;
        for (var id = first; id < first + count; id++)
        {
            max = allowed[id] ? Math.Max(max, logits[id]) : max;
        }

        if (float.IsNegativeInfinity(max))
        {
            return;
        }

        double before = 0, after = 0;
        for (var id = first; id < first + count; id++)
        {
            if (allowed[id])
            {
                before += Math.Exp(logits[id] - max);
                var pitch = _tokenizer[id].Value;
                logits[id] -= (float)(_options.RecurrencePenalty * counts[pitch % 12]);
                logits[id] += intervals is null ? 0 : (float)intervals[SamplingCalibration.IntervalBin(pitches[^1], pitch)];
                after += Math.Exp(logits[id] - max);
            }
        }

        var shift = (float)Math.Log(before / after);
        for (var id = first; id < first + count; id++)
        {
            logits[id] += allowed[id] ? shift : 0;
        }
    }

    /// <summary>Nucleus sampling among the allowed tokens at a temperature (0: the most likely one); pitches and the rest each with their own nucleus.</summary>
    private int Sample(ReadOnlySpan<float> logits, bool[] allowed, double temperature, Random random)
    {
        var candidates = new List<(int Id, double Logit)>();
        for (var id = 0; id < allowed.Length; id++)
        {
            if (allowed[id])
            {
                candidates.Add((id, logits[id]));
            }
        }

        if (candidates.Count == 1 || temperature <= 0)
        {
            return candidates.MaxBy(c => c.Logit).Id;
        }

        var (firstPitch, pitchCount) = _tokenizer.Range(TokenKind.Pitch);
        var topP = candidates.Any(c => c.Id >= firstPitch && c.Id < firstPitch + pitchCount) ? _options.TopP : _options.OtherTopP;
        var max = candidates.Max(c => c.Logit);
        var weights = candidates.Select(c => (c.Id, Weight: Math.Exp((c.Logit - max) / temperature))).OrderByDescending(c => c.Weight).ThenBy(c => c.Id).ToList();
        var total = weights.Sum(w => w.Weight);
        var nucleus = new List<(int Id, double Weight)>();
        double mass = 0;
        foreach (var w in weights)
        {
            nucleus.Add(w);
            mass += w.Weight;
            if (mass >= topP * total)
            {
                break;
            }
        }

        var r = random.NextDouble() * mass;
        foreach (var (id, weight) in nucleus)
        {
            r -= weight;
            if (r <= 0)
            {
                return id;
            }
        }

        return nucleus[^1].Id;
    }

    /// <summary>Decodes the tokens with the request's own key spelling, meter and tempo; a note ends by the next onset.</summary>
    private LeadSheet ToLeadSheet(int[] tokens, LeadSheetSpec spec)
    {
        var (sheet, _) = _tokenizer.Decode(tokens);
        var melody = sheet.Melody.ToList();
        for (var i = 0; i + 1 < melody.Count; i++)
        {
            if (melody[i].End > melody[i + 1].Start)
            {
                melody[i] = melody[i] with { Duration = melody[i + 1].Start - melody[i].Start };
            }
        }

        return sheet with { Key = spec.Key, Meter = spec.Meter with { Tick = 0 }, Bpm = spec.Bpm, Melody = melody.ToValueList() };
    }
}
