using System.Runtime.CompilerServices;

namespace ComposerBot.Rendering.Loudness;

/// <summary>A second-order IIR section, normalised so a0 = 1, run in direct form I with double state.</summary>
public readonly record struct Biquad(double B0, double B1, double B2, double A1, double A2)
{
    /// <summary>Filters a signal in place.</summary>
    public void Process(Span<double> signal)
    {
        var state = default(BiquadState);
        Process(signal, ref state);
    }

    /// <summary>Filters a block in place, carrying the section's history in <paramref name="state"/> from the block before.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Process(Span<double> signal, ref BiquadState state)
    {
        var (x1, x2, y1, y2) = (state.X1, state.X2, state.Y1, state.Y2);
        for (var n = 0; n < signal.Length; n++)
        {
            var x = signal[n];
            var y = (B0 * x) + (B1 * x1) + (B2 * x2) - (A1 * y1) - (A2 * y2);
            x2 = x1;
            x1 = x;
            y2 = y1;
            y1 = y;
            signal[n] = y;
        }

        state = new BiquadState(x1, x2, y1, y2);
    }

    /// <summary>
    /// Filters interleaved stereo in place, each channel with its own history: the two channels' recursions
    /// are independent, so the processor overlaps them. Each sample gets the arithmetic of <see cref="Step"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ProcessStereo(Span<double> interleaved, ref BiquadState left, ref BiquadState right)
    {
        var (lx1, lx2, ly1, ly2) = (left.X1, left.X2, left.Y1, left.Y2);
        var (rx1, rx2, ry1, ry2) = (right.X1, right.X2, right.Y1, right.Y2);
        for (var n = 0; n + 1 < interleaved.Length; n += 2)
        {
            var (l, r) = (interleaved[n], interleaved[n + 1]);
            var yl = (B0 * l) + (B1 * lx1) + (B2 * lx2) - (A1 * ly1) - (A2 * ly2);
            var yr = (B0 * r) + (B1 * rx1) + (B2 * rx2) - (A1 * ry1) - (A2 * ry2);
            (lx2, lx1, ly2, ly1) = (lx1, l, ly1, yl);
            (rx2, rx1, ry2, ry1) = (rx1, r, ry1, yr);
            interleaved[n] = yl;
            interleaved[n + 1] = yr;
        }

        left = new BiquadState(lx1, lx2, ly1, ly2);
        right = new BiquadState(rx1, rx2, ry1, ry2);
    }

    /// <summary>
    /// Filters interleaved stereo in place through this section and then <paramref name="next"/>, in one pass:
    /// each sample gets <see cref="ProcessStereo"/>'s arithmetic from this section and then from the next, as
    /// two passes give, while the four recursions (two sections, two channels) overlap in the processor. The
    /// arithmetic is written out as in <see cref="ProcessStereo"/>: through a shared step taking the history by
    /// reference the JIT kept it in memory, and both loops ran 10-30% slower (tried 2026-11-28).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ProcessStereoThen(in Biquad next, Span<double> interleaved, ref BiquadState left, ref BiquadState right, ref BiquadState nextLeft, ref BiquadState nextRight)
    {
        var (lx1, lx2, ly1, ly2) = (left.X1, left.X2, left.Y1, left.Y2);
        var (rx1, rx2, ry1, ry2) = (right.X1, right.X2, right.Y1, right.Y2);
        var (mx1, mx2, my1, my2) = (nextLeft.X1, nextLeft.X2, nextLeft.Y1, nextLeft.Y2);
        var (sx1, sx2, sy1, sy2) = (nextRight.X1, nextRight.X2, nextRight.Y1, nextRight.Y2);
        var (c0, c1, c2, c3, c4) = (next.B0, next.B1, next.B2, next.A1, next.A2);
        for (var n = 0; n + 1 < interleaved.Length; n += 2)
        {
            var (l, r) = (interleaved[n], interleaved[n + 1]);
            var yl = (B0 * l) + (B1 * lx1) + (B2 * lx2) - (A1 * ly1) - (A2 * ly2);
            var yr = (B0 * r) + (B1 * rx1) + (B2 * rx2) - (A1 * ry1) - (A2 * ry2);
            (lx2, lx1, ly2, ly1) = (lx1, l, ly1, yl);
            (rx2, rx1, ry2, ry1) = (rx1, r, ry1, yr);
            var zl = (c0 * yl) + (c1 * mx1) + (c2 * mx2) - (c3 * my1) - (c4 * my2);
            var zr = (c0 * yr) + (c1 * sx1) + (c2 * sx2) - (c3 * sy1) - (c4 * sy2);
            (mx2, mx1, my2, my1) = (mx1, yl, my1, zl);
            (sx2, sx1, sy2, sy1) = (sx1, yr, sy1, zr);
            interleaved[n] = zl;
            interleaved[n + 1] = zr;
        }

        left = new BiquadState(lx1, lx2, ly1, ly2);
        right = new BiquadState(rx1, rx2, ry1, ry2);
        nextLeft = new BiquadState(mx1, mx2, my1, my2);
        nextRight = new BiquadState(sx1, sx2, sy1, sy2);
    }

    /// <summary>Filters one sample, keeping the section's history in <paramref name="state"/> (a stream cut into blocks).</summary>
    public double Step(double x, ref BiquadState state)
    {
        var y = (B0 * x) + (B1 * state.X1) + (B2 * state.X2) - (A1 * state.Y1) - (A2 * state.Y2);
        state = new BiquadState(x, state.X1, y, state.Y1);
        return y;
    }
}

/// <summary>A biquad's last two inputs and outputs, carried from one block of a stream to the next.</summary>
public readonly record struct BiquadState(double X1, double X2, double Y1, double Y2);
