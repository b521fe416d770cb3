using Engine.Autodiff;

namespace Engine.Ode;

/// <summary>The fused state operations the solvers are built from: one backend op per component for a stage update, one for all norms.</summary>
internal static class StateOps
{
    /// <summary>
    /// x0 + sum_i coefficients[i] * terms[i], component by component, each one fused <see cref="Tensor.LinearCombination"/>;
    /// terms with a zero coefficient are not read (and may be null).
    /// </summary>
    public static OdeState Combine(OdeState x0, ReadOnlySpan<double> coefficients, IReadOnlyList<OdeState?> terms)
    {
        var used = new List<int>(coefficients.Length);
        for (int i = 0; i < coefficients.Length; i++)
            if (coefficients[i] != 0) used.Add(i);
        var c = new double[used.Count];
        for (int n = 0; n < c.Length; n++) c[n] = coefficients[used[n]];
        var components = new Tensor[x0.Count];
        for (int j = 0; j < components.Length; j++)
            components[j] = Tensor.LinearCombination(x0[j], c, used.Select(i => terms[i]![j]).ToArray());
        return new OdeState(components);
    }

    /// <summary>
    /// For each component j and each row e of <paramref name="weights"/>, the RMS of
    /// (sum_i weights[e, i] terms[i][j]) / (atol + rtol max(|y0[j]|, |y1[j]|)): one fused op for the whole state,
    /// not recorded (step-size control is not differentiated). Returns norms[j, e].
    /// </summary>
    public static double[,] ScaledNorms(IReadOnlyList<OdeState> terms, double[,] weights, OdeState y0, OdeState y1, double rtol, double atol)
    {
        using var noGrad = Tape.NoGrad();
        var perComponent = Enumerable.Range(0, y0.Count).Select(j => terms.Select(t => t[j]).ToArray()).ToArray();
        using var norms = Tensor.ScaledErrorRms(perComponent, weights, y0, y1, rtol, atol);
        var values = norms.ToArray<double>();
        int estimates = weights.GetLength(0);
        var result = new double[y0.Count, estimates];
        Buffer.BlockCopy(values, 0, result, 0, values.Length * sizeof(double));
        return result;
    }

    /// <summary>
    /// Whether every element is finite, in one fused pass: the RMS of y / (1 + |y|) is finite exactly then
    /// (each term is below 1 in magnitude for finite y, and NaN for NaN or infinite y).
    /// </summary>
    public static bool IsFinite(OdeState state)
    {
        var norms = ScaledNorms([state], new double[,] { { 1 } }, state, state, rtol: 1, atol: 1);
        foreach (var norm in norms)
            if (!double.IsFinite(norm)) return false;
        return true;
    }

    /// <summary>The first <paramref name="count"/> components (the state itself when that is all of them).</summary>
    public static OdeState Head(this OdeState state, int count) =>
        count == state.Count ? state : new OdeState(state.Take(count).ToArray());

    /// <summary>New handles on the components (recorded as identities), for a caller that disposes the originals.</summary>
    public static OdeState NewHandles(OdeState state) => new(state.Select(c => c.Contiguous()).ToArray());

    /// <summary>Moves the components out of <paramref name="scope"/> into the enclosing one.</summary>
    public static OdeState Keep(this TensorScope scope, OdeState state)
    {
        foreach (var component in state) scope.Keep(component);
        return state;
    }

    public static void Dispose(OdeState state)
    {
        foreach (var component in state) component.Dispose();
    }
}
