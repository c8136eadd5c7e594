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

    /// <summary>
    /// The sum over channels of the K-weighted mean square of each 400 ms block (100 ms hop). Each 100 ms
    /// sub-block is filtered with both channels at once (<see cref="Biquad.ProcessStereo"/>: two independent
    /// recursions that the processor overlaps, where one channel at a time waits on each sample's result), the
    /// filters' history carried over, and each channel's squares are summed in order, so the energies are the
    /// same doubles as filtering each channel's sub-blocks by itself.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<double> BlockEnergies(AudioBuffer audio)
    {
        var hop = audio.SampleRate / 10;
        var subBlocks = audio.Frames / hop;
        var (shelf, highPass) = (KWeighting.Shelf(audio.SampleRate), KWeighting.HighPass(audio.SampleRate));
        var (shelfLeft, shelfRight, highPassLeft, highPassRight) = (default(BiquadState), default(BiquadState), default(BiquadState), default(BiquadState));
        var block = new double[hop * AudioBuffer.Channels];
        var subEnergy = new double[subBlocks];
        for (var b = 0; b < subBlocks; b++)
        {
            var samples = audio.Samples.AsSpan(b * block.Length, block.Length);
            for (var i = 0; i < block.Length; i++)
            {
                block[i] = samples[i];
            }

            shelf.ProcessStereoThen(highPass, block, ref shelfLeft, ref shelfRight, ref highPassLeft, ref highPassRight);
            double left = 0, right = 0;
            for (var i = 0; i < block.Length; i += 2)
            {
                left += block[i] * block[i];
                right += block[i + 1] * block[i + 1];
            }

            subEnergy[b] = left + right;
        }

        return Blocks(subEnergy, hop);
    }
}
