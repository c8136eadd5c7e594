using ComposerBot.Music;
using ComposerBot.Music.Midi;

namespace ComposerBot.Rendering.Synthesis;

/// <summary>
/// What a General MIDI player does with a file's controls beyond handing them to FluidSynth: synthesizer
/// channel <c>i</c> plays track <c>i</c>, so messages that name MIDI channels (SysEx) reach every track of
/// that channel. Bank select picks the drum kit the GM2 way (bank 120, XG 127) or a melodic bank (121 and
/// its variation, or a GS bank); resets (GM, GM2, GS, XG) bring each track back to its first program; master
/// tuning moves every melodic channel, scale tuning the channels it names; master volume scales the gain.
/// Mode messages (omni, mono, poly: controllers 124-127) are left out, as most modern instruments do.
/// </summary>
internal sealed class ChannelPlayback
{
    private const int BankSelect = 0, BankSelectLsb = 32, FirstModeMessage = 124, ResetAllControllers = 121;
    private const int DataEntry = 6, DataEntryLsb = 38, RpnLsb = 100, RpnMsb = 101, NrpnLsb = 98, NrpnMsb = 99;
    private const int PortamentoTimeLsb = 37, DefaultPortamentoMilliseconds = 100;
    private const int Centre = 8192, NoParameter = 0x3FFF;
    private const int Gm2Rhythm = 120, Gm2Melody = 121, XgRhythm = 127;

    private readonly FluidSynthVoice _synth;
    private readonly IReadOnlyList<Track> _tracks;
    private readonly double _gain;
    private readonly bool[] _drum;
    private readonly int[] _program;
    private readonly int[] _bankMsb;
    private readonly int[] _bankLsb;
    private readonly int[] _parameter;
    private readonly int[] _bend;
    private readonly double[] _bendRange;
    private readonly double[][] _scaleCents = [.. Enumerable.Range(0, 16).Select(_ => new double[12])];
    private int _masterSemitones;
    private double _masterFineCents;

    public ChannelPlayback(FluidSynthVoice synth, IReadOnlyList<Track> tracks, double gain)
    {
        _synth = synth;
        _tracks = tracks;
        _gain = gain;
        _drum = new bool[tracks.Count];
        _program = new int[tracks.Count];
        _bankMsb = new int[tracks.Count];
        _bankLsb = new int[tracks.Count];
        _parameter = new int[tracks.Count];
        _bend = new int[tracks.Count];
        _bendRange = new double[tracks.Count];
        SetUp();
    }

    public void Apply(int channel, ChannelControl control)
    {
        switch (control.Kind)
        {
            case ChannelControlKind.Controller when control.Number == BankSelect:
                _bankMsb[channel] = control.Value;
                break;
            case ChannelControlKind.Controller when control.Number == BankSelectLsb:
                _bankLsb[channel] = control.Value;
                break;
            case ChannelControlKind.Controller when control.Number >= FirstModeMessage:
                break;
            case ChannelControlKind.Controller when control.Number is DataEntry or DataEntryLsb && _parameter[channel] == 0:
                SetBendRange(channel, control.Number == DataEntry ? control.Value : Math.Truncate(_bendRange[channel]), control.Number == DataEntryLsb ? control.Value : 0);
                break;
            case ChannelControlKind.Controller:
                Select(channel, control.Number, control.Value);
                _synth.ControlChange(channel, control.Number, control.Value);
                break;
            case ChannelControlKind.Program:
                ChangeProgram(channel, control.Value);
                break;
            case ChannelControlKind.PitchBend:
                _bend[channel] = control.Value;
                Bend(channel);
                break;
            case ChannelControlKind.ChannelPressure:
                _synth.ChannelPressure(channel, control.Value);
                break;
        }
    }

    public void Apply(SystemExclusive message)
    {
        switch (SysExMessage.Parse(message.Data.AsImmutableArray().AsSpan()))
        {
            case SysExMessage.Reset:
                _synth.Reset();
                (_masterSemitones, _masterFineCents) = (0, 0);
                foreach (var cents in _scaleCents)
                {
                    Array.Clear(cents);
                }

                SetUp();
                break;
            case SysExMessage.MasterVolume volume:
                _synth.SetGain(_gain * volume.Level);
                break;
            case SysExMessage.MasterCoarseTuning coarse:
                _masterSemitones = coarse.Semitones;
                Retune();
                break;
            case SysExMessage.MasterFineTuning fine:
                _masterFineCents = fine.Cents;
                Retune();
                break;
            case SysExMessage.ScaleTuning scale:
                foreach (var midiChannel in scale.Channels)
                {
                    for (var i = 0; i < scale.Cents.Count && scale.FirstPitchClass + i < 12; i++)
                    {
                        _scaleCents[midiChannel][scale.FirstPitchClass + i] = scale.Cents[i];
                    }
                }

                Retune();
                break;
            case SysExMessage.DrumPart part:
                foreach (var channel in ChannelsOf(part.Channel))
                {
                    _drum[channel] = part.Drum;
                    _synth.SetUpChannel(channel, _program[channel], part.Drum, MelodicBank(channel));
                }

                Retune();
                break;
        }
    }

    private void SetUp()
    {
        _synth.SetGain(_gain);
        for (var channel = 0; channel < _tracks.Count; channel++)
        {
            var track = _tracks[channel];
            (_drum[channel], _program[channel], _bankMsb[channel], _bankLsb[channel]) = (track.IsDrum, track.Program, 0, 0);
            (_parameter[channel], _bend[channel]) = (NoParameter, Centre);
            _synth.SetUpChannel(channel, track.Program, track.IsDrum);
            _synth.Tune(channel, new double[12]);
            SetBendRange(channel, 2, 0);

            // GM2 leaves the portamento time at 0, where portamento switched on changes nothing; players
            // give it a short glide, and the test files expect one (a file that sets controller 5 decides).
            _synth.ControlChange(channel, PortamentoTimeLsb, DefaultPortamentoMilliseconds);
        }
    }

    /// <summary>Follows which registered parameter data entry goes to (pitch-bend range is ours; FluidSynth keeps the rest).</summary>
    private void Select(int channel, int controller, int value)
    {
        switch (controller)
        {
            case RpnMsb:
                _parameter[channel] = (value << 7) | (_parameter[channel] & 0x7F);
                break;
            case RpnLsb:
                _parameter[channel] = (_parameter[channel] & ~0x7F) | value;
                break;
            case NrpnMsb or NrpnLsb:
                _parameter[channel] = NoParameter;
                break;
            case ResetAllControllers:
                (_parameter[channel], _bend[channel]) = (NoParameter, Centre);
                break;
        }
    }

    /// <summary>
    /// The pitch-bend range (registered parameter 0: semitones, then cents). FluidSynth takes whole
    /// semitones, so a range with cents is set to the next whole one and the wheel scaled to match.
    /// </summary>
    private void SetBendRange(int channel, double semitones, double cents)
    {
        _bendRange[channel] = semitones + (cents / 100);
        _synth.PitchWheelSensitivity(channel, WheelSemitones(channel));
        Bend(channel);
    }

    private int WheelSemitones(int channel) => Math.Max(1, (int)Math.Ceiling(_bendRange[channel]));

    private void Bend(int channel)
    {
        var scale = _bendRange[channel] / WheelSemitones(channel);
        _synth.PitchBend(channel, Math.Clamp(Centre + (int)Math.Round((_bend[channel] - Centre) * scale), 0, 16383));
    }

    private void ChangeProgram(int channel, int program)
    {
        _drum[channel] = _bankMsb[channel] switch
        {
            Gm2Rhythm or XgRhythm => true,
            Gm2Melody => false,
            _ => _drum[channel],
        };
        _program[channel] = program;
        _synth.SetUpChannel(channel, program, _drum[channel], MelodicBank(channel));
        Retune(channel);
    }

    /// <summary>GM2 names a melodic variation by the LSB under bank 121, GS by the MSB, XG by the LSB under 0.</summary>
    private int MelodicBank(int channel) => MelodicBank(_bankMsb[channel], _bankLsb[channel]);

    /// <summary>The melodic bank that bank-select MSB and LSB values name, read as <see cref="MelodicBank(int)"/> reads them.</summary>
    internal static int MelodicBank(int msb, int lsb) => msb is Gm2Melody or 0 ? lsb : msb;

    private IEnumerable<int> ChannelsOf(int midiChannel) => Enumerable.Range(0, _tracks.Count).Where(c => _tracks[c].Channel == midiChannel);

    private void Retune()
    {
        for (var channel = 0; channel < _tracks.Count; channel++)
        {
            Retune(channel);
        }
    }

    private void Retune(int channel)
    {
        var master = _drum[channel] ? 0 : (_masterSemitones * 100) + _masterFineCents;
        var scale = _scaleCents[_tracks[channel].Channel & 0x0F];
        Span<double> cents = stackalloc double[12];
        for (var pitchClass = 0; pitchClass < 12; pitchClass++)
        {
            cents[pitchClass] = master + scale[pitchClass];
        }

        _synth.Tune(channel, cents);
    }
}
