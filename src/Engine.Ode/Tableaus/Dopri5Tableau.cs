namespace Engine.Ode.Tableaus;

/// <summary>
/// Dormand-Prince 5(4) (1980), the default of torchdiffeq and MATLAB's ode45: 5th-order solution, embedded
/// 4th-order estimate, first-same-as-last (6 evaluations per step). Dense output is the 4th-order continuous
/// extension of Shampine (1986) as in Hairer's DOPRI5 (coefficients d from its CONTD5).
/// </summary>
internal static class Dopri5Tableau
{
    public static ButcherTableau Create()
    {
        double[] b = [35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84, 0];
        double[] bHat = [5179.0 / 57600, 0, 7571.0 / 16695, 393.0 / 640, -92097.0 / 339200, 187.0 / 2100, 1.0 / 40];
        double[] d =
        [
            -12715105075.0 / 11282082432, 0, 87487479700.0 / 32700410799, -10690763975.0 / 1880347072,
            701980252875.0 / 199316789632, -1453857185.0 / 822651844, 69997945.0 / 29380423,
        ];
        return new ButcherTableau("dopri5", 5,
            [0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1],
            [
                [],
                [1.0 / 5],
                [3.0 / 40, 9.0 / 40],
                [44.0 / 45, -56.0 / 15, 32.0 / 9],
                [19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729],
                [9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656],
                b[..6],
            ],
            b,
            ErrorEstimate.Embedded(b.Zip(bHat, (x, y) => x - y).ToArray(), exponent: 5),
            new DenseOutput(4, DenseOutput.HairerWeights(b, 7, d)));
    }
}
