namespace ComposerBot.Generation.Tests;

/// <summary>
/// erf(z) the slow, plain way, to hold the decoder's fast GELU to: the Maclaurin series below 2.5 (summed until
/// a term no longer changes the sum), above that 1 - erfc with erfc by its continued fraction (Abramowitz and
/// Stegun 7.1.14) from the 80th term back.
/// </summary>
internal static class ReferenceErf
{
    /// <summary>erfc(z) = 1 - erf(z), for z of 2.5 or more without the cancellation of 1 - erf.</summary>
    public static double Complement(double z) => z < 2.5 ? 1 - Of(z) : Math.Exp(-z * z) / (1.77245385090551602730 * Fraction(z));

    /// <summary>x/2 × (1 + erf(x/√2)), with 1 + erf(z) = erfc(-z) where that is small.</summary>
    public static double Gelu(double x) => x < 0 ? 0.5 * x * Complement(-x / Math.Sqrt(2)) : 0.5 * x * (1 + Of(x / Math.Sqrt(2)));

    public static double Of(double z)
    {
        var a = Math.Abs(z);
        double value;
        if (a < 2.5)
        {
            // erf(z) = 2/√π Σ (-1)ⁿ z^(2n+1) / (n! (2n+1))
            double term = a, sum = a, square = a * a;
            for (var k = 1; k < 200; k++)
            {
                term *= -square / k;
                var next = sum + (term / ((2 * k) + 1));
                if (next == sum)
                {
                    break;
                }

                sum = next;
            }

            value = sum * 1.12837916709551257390;
        }
        else
        {
            value = 1 - Complement(a);
        }

        return z < 0 ? -value : value;
    }

    /// <summary>erfc(z) = e^(-z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + 2/(z + ...))))): the fraction's denominator.</summary>
    private static double Fraction(double z)
    {
        var fraction = z;
        for (var n = 80; n >= 1; n--)
        {
            fraction = z + (n / 2.0 / fraction);
        }

        return fraction;
    }
}
