namespace ComposerBot.Generation.Neural;

/// <summary>
/// How tokens are drawn: nucleus (top-p) sampling at the spec's temperature, a narrower nucleus for pitches
/// than for the rest; a penalty on recently sounded pitch classes; a budget of out-of-key notes; the KV cache
/// on or off. The defaults are compose's: the setting that the two-sample test of <c>evaluate</c> found
/// hardest to tell from the held-out human tunes (models/MODEL_CARD.md).
/// </summary>
public sealed record SamplingOptions
{
    /// <summary>
    /// The model's own nucleus sampling, without what compose adds (no recurrence penalty, every note in key,
    /// one 0.95 nucleus for every token): what reinforcement-learning tuning samples its policy with, since its
    /// gradient and KL estimates score the samples under the model and the grammar alone.
    /// </summary>
    public static SamplingOptions ModelOnly { get; } = new() { OtherTopP = 0.95, ChromaticShare = 0, RecurrencePenalty = 0, ResolveLeaps = false };

    /// <summary>Where a pitch may come next, sample from the smallest set of allowed tokens whose probability reaches this.</summary>
    public double TopP { get; init; } = 0.95;

    /// <summary>
    /// The nucleus where no pitch may come next (positions, bar lines, durations). The whole distribution by
    /// default: a narrower nucleus all but removes the rarer rhythms (dotted notes, triplets) that human tunes have.
    /// </summary>
    public double OtherTopP { get; init; } = 1.0;

    /// <summary>Off only to measure what the cache saves: then every step re-runs the whole prefix.</summary>
    public bool UseKvCache { get; init; } = true;

    /// <summary>The largest share of melody notes that may leave the key, where the model puts them (0: every note in key).</summary>
    public double ChromaticShare { get; init; } = 0.03;

    /// <summary>
    /// Logit subtracted from a pitch for each time its pitch class sounded among the melody's last
    /// <see cref="RecurrenceWindow"/> notes (0: none). Left alone the model circles a few pitches; human tunes
    /// travel through the scale.
    /// </summary>
    public double RecurrencePenalty { get; init; } = 0.3;

    /// <summary>How many of the latest melody notes <see cref="RecurrencePenalty"/> counts.</summary>
    public int RecurrenceWindow { get; init; } = 12;

    /// <summary>
    /// Offsets fitted for the model's weights that bring its step sizes and note lengths to human tunes' (none:
    /// the model's own). Compose uses the one shipped beside the model (models/sampling-calibration.json).
    /// </summary>
    public SamplingCalibration? Calibration { get; init; }

    /// <summary>
    /// Every note from the middle of the last bar on is the tonic (see <see cref="DecodingGrammar"/>). Without
    /// it, 14 of 16 of the shipped model's melodies ended in a run of 1/12-quarter notes squeezed in to reach
    /// the tonic on the last step; with it, the share of its melodies with sixteenth notes fell from 83% to
    /// 46% (human: 45%), but the two-sample classifier told them from human tunes more often (73.5% against
    /// 70.8%, seed 1, docs/evaluation.md), so compose leaves it off until that is understood.
    /// </summary>
    public bool SettledEnding { get; init; }

    /// <summary>
    /// No melody note leaps (a fifth or more) the same way as a leap not yet resolved: RL Tuner's "leaping
    /// twice" (see <see cref="DecodingGrammar"/>). Where a restated bar's copied pitch would, the model chooses
    /// that note's pitch and the copy goes on.
    /// </summary>
    public bool ResolveLeaps { get; init; } = true;

    /// <summary>
    /// The critic that keeps the most human of up to <see cref="Candidates"/> melodies sampled per request (none:
    /// one melody per request). Compose uses the one shipped beside the model (models/melody-critic.json).
    /// </summary>
    public MelodyCritic? Critic { get; init; }

    /// <summary>The most melodies sampled per request where a <see cref="Critic"/> chooses among them (in rounds, until it accepts one).</summary>
    public int Candidates { get; init; } = 4;

    /// <summary>
    /// How many of a request's candidates are sampled at once, each on its own thread (1: one after another).
    /// The lead sheets are the same either way; more than one is sooner where a core would idle and costs
    /// processor time when the first candidate is accepted (its companions are then thrown away).
    /// </summary>
    public int ConcurrentCandidates { get; init; } = 1;

    public int LowestPitch { get; init; } = 48;

    public int HighestPitch { get; init; } = 88;
}
