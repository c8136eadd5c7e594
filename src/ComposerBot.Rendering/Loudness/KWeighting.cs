namespace ComposerBot.Rendering.Loudness;

/// <summary>
/// The K-weighting of ITU-R BS.1770: a high shelf (the head's acoustic effect) followed by the RLB
/// high-pass, designed for any sample rate from the analogue parameters behind the standard's 48 kHz
/// coefficients.
/// </summary>
public static class KWeighting
{
    private const double ShelfFrequency = 1681.974450955533;
    private const double ShelfGainDb = 3.999843853973347;
    private const double ShelfQ = 0.7071752369554196;
    private const double HighPassFrequency = 38.13547087602444;
    private const double HighPassQ = 0.5003270373238773;

    public static Biquad Shelf(int sampleRate)
    {
        var k = Math.Tan(Math.PI * ShelfFrequency / sampleRate);
        var vh = Math.Pow(10, ShelfGainDb / 20);
        var vb = Math.Pow(vh, 0.4996667741545416);
        var a0 = 1 + (k / ShelfQ) + (k * k);
        return new Biquad(
            (vh + (vb * k / ShelfQ) + (k * k)) / a0,
            2 * ((k * k) - vh) / a0,
            (vh - (vb * k / ShelfQ) + (k * k)) / a0,
            2 * ((k * k) - 1) / a0,
            (1 - (k / ShelfQ) + (k * k)) / a0);
    }

    public static Biquad HighPass(int sampleRate)
    {
        var k = Math.Tan(Math.PI * HighPassFrequency / sampleRate);
        var a0 = 1 + (k / HighPassQ) + (k * k);
        return new Biquad(1, -2, 1, 2 * ((k * k) - 1) / a0, (1 - (k / HighPassQ) + (k * k)) / a0);
    }
}
