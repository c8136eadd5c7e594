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
    /// The sum over channels of the K-weighted mean square of each 400 ms block (100 ms hop). Both channels and
    /// both filters run in one pass over the interleaved samples: four independent recursions that the
    /// processor overlaps, where one filter over one channel at a time waits on each sample's result. Each
    /// sample gets the arithmetic of <see cref="Biquad.Process(Span{double}, ref BiquadState)"/>, the shelf's
    /// output into the high-pass, and each channel's squares are summed in order, so the energies are the same
    /// doubles as filtering each channel's blocks in turn.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<double> BlockEnergies(AudioBuffer audio)
    {
        var hop = audio.SampleRate / 10;
        var subBlocks = audio.Frames / hop;
        var (shelf, highPass) = (KWeighting.Shelf(audio.SampleRate), KWeighting.HighPass(audio.SampleRate));
        var (s0, s1, s2, sa1, sa2) = (shelf.B0, shelf.B1, shelf.B2, shelf.A1, shelf.A2);
        var (h0, h1, h2, ha1, ha2) = (highPass.B0, highPass.B1, highPass.B2, highPass.A1, highPass.A2);

        // Each filter's last two inputs and outputs, per channel (l, r): shelf x/y, then high-pass x/y.
        double lsx1 = 0, lsx2 = 0, lsy1 = 0, lsy2 = 0, lhy1 = 0, lhy2 = 0;
        double rsx1 = 0, rsx2 = 0, rsy1 = 0, rsy2 = 0, rhy1 = 0, rhy2 = 0;
        var samples = audio.Samples.AsSpan(0, (int)(subBlocks * hop * AudioBuffer.Channels));
        var subEnergy = new double[subBlocks];
        for (var b = 0; b < subBlocks; b++)
        {
            double left = 0, right = 0;
            var block = samples.Slice(b * hop * AudioBuffer.Channels, hop * AudioBuffer.Channels);
            for (var i = 0; i + 1 < block.Length; i += 2)
            {
                double l = block[i], r = block[i + 1];
                var ls = (s0 * l) + (s1 * lsx1) + (s2 * lsx2) - (sa1 * lsy1) - (sa2 * lsy2);
                var rs = (s0 * r) + (s1 * rsx1) + (s2 * rsx2) - (sa1 * rsy1) - (sa2 * rsy2);
                var lh = (h0 * ls) + (h1 * lsy1) + (h2 * lsy2) - (ha1 * lhy1) - (ha2 * lhy2);
                var rh = (h0 * rs) + (h1 * rsy1) + (h2 * rsy2) - (ha1 * rhy1) - (ha2 * rhy2);
                (lsx2, lsx1, lsy2, lsy1, lhy2, lhy1) = (lsx1, l, lsy1, ls, lhy1, lh);
                (rsx2, rsx1, rsy2, rsy1, rhy2, rhy1) = (rsx1, r, rsy1, rs, rhy1, rh);
                left += lh * lh;
                right += rh * rh;
            }

            subEnergy[b] = left + right;
        }

        return Blocks(subEnergy, hop);
    }
}
