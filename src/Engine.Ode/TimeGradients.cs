namespace Engine.Ode;

/// <summary>
/// Gradients with respect to the output times, the same for every gradient method: those of the exact flow at the
/// computed states. Moving t_i (i &gt;= 1) moves z_i along the trajectory, so dL/dt_i = &lt;g_i, f(t_i, z_i)&gt; with g_i
/// the gradient of z_i; moving t_0 starts the same z0 later, so dL/dt_0 = -&lt;a_0, f(t_0, z0)&gt; with a_0 the gradient
/// reaching z0 through the solve (not the gradient of the output z(t_0) = z0 itself, which does not move).
/// Each term costs one evaluation of f, counted as a backward evaluation.
/// </summary>
internal static class TimeGradients
{
    /// <summary>&lt;g_i, f(t_i, z_i)&gt; for i &gt;= 1; entry 0 is zero.</summary>
    public static double[] AtOutputs(Dynamics dynamics, double[] grid, Func<int, OdeState> state, Func<int, OdeState> cotangent)
    {
        var values = new double[grid.Length];
        for (int i = 1; i < grid.Length; i++)
        {
            using var scope = TensorScope.Begin();
            values[i] = Dot(cotangent(i), dynamics.Evaluate(grid[i], state(i)));
        }
        return values;
    }

    /// <summary>-&lt;a_0, f(t_0, z0)&gt;.</summary>
    public static double AtStart(Dynamics dynamics, double t0, OdeState z0, OdeState a0)
    {
        using var scope = TensorScope.Begin();
        return -Dot(a0, dynamics.Evaluate(t0, z0));
    }

    /// <summary>The values as a gradient for the times, in their dtype.</summary>
    public static Tensor ToGradient(double[] values, DType dtype)
    {
        using var scope = TensorScope.Begin();
        return scope.Keep(Tensor.From(values).To(dtype));
    }

    /// <summary>
    /// Refuses a recorded backward pass (second derivatives) when the times need gradients: these terms are
    /// evaluated as numbers, so their own derivatives would be missing.
    /// </summary>
    public static void ThrowIfRecorded(string where)
    {
        if (Engine.Autodiff.Tape.IsGradEnabled)
            throw new NotSupportedException(
                $"{where}: second derivatives that involve the times are not supported (the backward pass is being recorded " +
                "and the times need gradients); pass times.Detach() when differentiating twice");
    }

    private static double Dot(OdeState a, OdeState b)
    {
        double sum = 0;
        for (int j = 0; j < a.Count; j++)
        {
            using var product = a[j] * b[j];
            using var total = product.Sum();
            sum += total.Item<double>();
        }
        return sum;
    }
}
