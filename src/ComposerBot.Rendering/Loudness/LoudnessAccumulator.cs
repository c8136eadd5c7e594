namespace ComposerBot.Rendering.Loudness;

/// <summary>
/// The integrated loudness of a stream fed block by block, by the same K-weighting, 100 ms sub-blocks and
/// gates as <see cref="LoudnessMeter"/>: the result equals the meter's on the whole signal, while only one
/// number per 100 ms is kept.
/// </summary>
public sealed class LoudnessAccumulator(int sampleRate)
{
    private readonly Biquad _shelf = KWeighting.Shelf(sampleRate);
    private readonly Biquad _highPass = KWeighting.HighPass(sampleRate);
    private readonly BiquadState[] _shelfState = new BiquadState[AudioBuffer.Channels];
    private readonly BiquadState[] _highPassState = new BiquadState[AudioBuffer.Channels];
    private readonly List<double> _subEnergy = [];
    private readonly int _hop = sampleRate / 10;
    private double _current;
    private int _inSubBlock;

    /// <summary>Adds interleaved stereo frames.</summary>
    public void Add(ReadOnlySpan<float> interleaved)
    {
        for (var i = 0; i + 1 < interleaved.Length; i += AudioBuffer.Channels)
        {
            for (var c = 0; c < AudioBuffer.Channels; c++)
            {
                var y = _highPass.Step(_shelf.Step(interleaved[i + c], ref _shelfState[c]), ref _highPassState[c]);
                _current += y * y;
            }

            if (++_inSubBlock == _hop)
            {
                _subEnergy.Add(_current);
                _current = 0;
                _inSubBlock = 0;
            }
        }
    }

    /// <summary>Integrated loudness in LUFS of everything added; negative infinity when nothing passes the gates.</summary>
    public double IntegratedLufs => LoudnessMeter.Gate(LoudnessMeter.Blocks(_subEnergy, _hop));
}
