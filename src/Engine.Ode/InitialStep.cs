namespace Engine.Ode;

/// <summary>
/// Hairer's starting step size (Hairer, Norsett and Wanner, Solving ODEs I, II.4): with the scale
/// sc = atol + rtol |y0|, d0 = ||y0 / sc||, d1 = ||f0 / sc||, an explicit Euler step of h0 = 0.01 d0 / d1 gives
/// d2 = ||(f(t0 + h0, y0 + h0 f0) - f0) / sc|| / h0, and h = min(100 h0, (0.01 / max(d1, d2))^(1/k)).
/// Costs one evaluation of f, which is not recorded on the tape. The norms are taken over the first
/// <c>normComponents</c> components of the state, like the error norm.
/// </summary>
internal static class InitialStep
{
    public static double Select(Dynamics dynamics, double t0, OdeState y0, OdeState f0, double direction, double span, int exponent, double rtol, double atol,
        int normComponents)
    {
        using var scope = TensorScope.Begin();
        using var noGrad = Engine.Autodiff.Tape.NoGrad();
        var (y0Head, f0Head) = (y0.Head(normComponents), f0.Head(normComponents));
        var start = StateOps.ScaledNorms([y0Head, f0Head], new double[,] { { 1, 0 }, { 0, 1 } }, y0Head, y0Head, rtol, atol);
        double d0 = MaxOver(start, 0), d1 = MaxOver(start, 1);
        double h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * d0 / d1;
        h0 = Math.Min(h0, span);
        var y1 = StateOps.Combine(y0, [direction * h0], [f0]);
        var f1 = dynamics.Evaluate(t0 + direction * h0, y1);
        double d2 = MaxOver(StateOps.ScaledNorms([f1.Head(normComponents), f0Head], new double[,] { { 1, -1 } }, y0Head, y0Head, rtol, atol), 0) / h0;
        double largest = Math.Max(d1, d2);
        double h1 = double.IsNaN(largest) ? h0
            : largest <= 1e-15 ? Math.Max(1e-6, h0 * 1e-3)
            : Math.Pow(0.01 / largest, 1.0 / exponent);
        return Math.Min(Math.Min(100 * h0, h1), span);
    }

    private static double MaxOver(double[,] norms, int estimate)
    {
        double max = 0;
        for (int j = 0; j < norms.GetLength(0); j++) max = Math.Max(max, norms[j, estimate]);
        return max;
    }
}
