namespace Engine.Ode.Tableaus;

/// <summary>
/// Bogacki-Shampine 3(2) (1989): 3rd-order solution, embedded 2nd-order estimate, first-same-as-last (3
/// evaluations per step); dense output by cubic Hermite interpolation through y0, f0, y1, f1 (order 3).
/// </summary>
internal static class Bosh3Tableau
{
    public static ButcherTableau Create()
    {
        double[] b = [2.0 / 9, 1.0 / 3, 4.0 / 9, 0];
        double[] bHat = [7.0 / 24, 1.0 / 4, 1.0 / 3, 1.0 / 8];
        return new ButcherTableau("bosh3", 3,
            [0, 0.5, 0.75, 1],
            [[], [0.5], [0, 0.75], b[..3]],
            b,
            ErrorEstimate.Embedded(b.Zip(bHat, (x, y) => x - y).ToArray(), exponent: 3),
            new DenseOutput(3, DenseOutput.HairerWeights(b, 4)));
    }
}
