using System.Runtime.CompilerServices;

namespace ComposerBot.Rendering.Loudness;

/// <summary>
/// Integrated loudness by ITU-R BS.1770-4 / EBU R128: K-weighted mean square in 400 ms blocks overlapping
/// by 75 %, an absolute gate at -70 LUFS and a relative gate 10 LU below the absolutely gated loudness.
/// </summary>
public static class LoudnessMeter
{
    private const double AbsoluteGate = -70;
    private const double RelativeGate = -10;

    /// <summary>Integrated loudness in LUFS; negative infinity when nothing passes the gates.</summary>
    public static double IntegratedLufs(AudioBuffer audio) => Gate(BlockEnergies(audio));

    /// <summary>The gated loudness of 400 ms block energies (the K-weighted mean squares summed over channels).</summary>
    public static double Gate(IReadOnlyList<double> blockEnergies)
    {
        var aboveAbsolute = blockEnergies.Where(e => ToLufs(e) > AbsoluteGate).ToList();
        if (aboveAbsolute.Count == 0)
        {
            return double.NegativeInfinity;
        }

        var relativeThreshold = ToLufs(aboveAbsolute.Average()) + RelativeGate;
        var gated = aboveAbsolute.Where(e => ToLufs(e) > relativeThreshold).ToList();
        return gated.Count == 0 ? double.NegativeInfinity : ToLufs(gated.Average());
    }

    /// <summary>400 ms blocks from 100 ms sub-block energies: each block is four consecutive sub-blocks.</summary>
    public static List<double> Blocks(IReadOnlyList<double> subEnergy, int hop)
    {
        var blocks = new List<double>(Math.Max(0, subEnergy.Count - 3));
        for (var b = 0; b + 4 <= subEnergy.Count; b++)
        {
            blocks.Add((subEnergy[b] + subEnergy[b + 1] + subEnergy[b + 2] + subEnergy[b + 3]) / (4.0 * hop));
        }

        return blocks;
    }

    private static double ToLufs(double energy) => -0.691 + (10 * Math.Log10(energy));

    /// <summary>The sum over channels of the K-weighted mean square of each 400 ms block (100 ms hop); the channels are filtered in parallel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<double> BlockEnergies(AudioBuffer audio)
    {
        var frames = audio.Frames;
        var hop = audio.SampleRate / 10;
        var subBlocks = frames / hop;
        var shelf = KWeighting.Shelf(audio.SampleRate);
        var highPass = KWeighting.HighPass(audio.SampleRate);
        var channelEnergy = new double[AudioBuffer.Channels][];
        Parallel.For(0, AudioBuffer.Channels, channel =>
        {
            // One 100 ms sub-block at a time, the filters' history carried over: no copy of the whole signal.
            var block = new double[hop];
            var (shelfState, highPassState) = (default(BiquadState), default(BiquadState));
            var energy = new double[subBlocks];
            for (var b = 0; b < subBlocks; b++)
            {
                for (int n = 0, i = (b * hop * AudioBuffer.Channels) + channel; n < hop; n++, i += AudioBuffer.Channels)
                {
                    block[n] = audio.Samples[i];
                }

                shelf.Process(block, ref shelfState);
                highPass.Process(block, ref highPassState);
                double sum = 0;
                foreach (var y in block)
                {
                    sum += y * y;
                }

                energy[b] = sum;
            }

            channelEnergy[channel] = energy;
        });

        var subEnergy = new double[subBlocks];
        foreach (var energy in channelEnergy)
        {
            for (var b = 0; b < subBlocks; b++)
            {
                subEnergy[b] += energy[b];
            }
        }

        return Blocks(subEnergy, hop);
    }
}
