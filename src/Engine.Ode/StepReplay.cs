namespace Engine.Ode;

/// <summary>
/// Takes the accepted steps of a <see cref="StepPlan"/> again from z0, with the same step ends, the same reuse of
/// f(t1, y1) as the next step's first stage and the same dense-output evaluations as the solve that made the plan,
/// so the states come out the same to the bit (for a deterministic f). No step-size control, no rejected steps.
/// </summary>
internal static class StepReplay
{
    /// <summary>The states at output times 1..N, flattened: the components of z_1, then those of z_2, and so on.</summary>
    public static Tensor[] Outputs(ButcherTableau tableau, Dynamics dynamics, OdeState z0, double[] times, StepPlan plan)
    {
        int m = z0.Count;
        var outputs = new Tensor[(times.Length - 1) * m];
        var y = z0;
        OdeState? f0 = null;
        int next = 1;
        for (int k = 0; k < plan.Steps.Count; k++)
        {
            var (t0, h, t1) = plan.Steps[k];
            using var scope = TensorScope.Begin();
            var step = RungeKuttaStep.Take(tableau, dynamics, t0, y, f0, h, t1);
            for (; next < times.Length && plan.Outputs[next].Step == k; next++)
            {
                var state = plan.Outputs[next].AtEnd ? StateOps.NewHandles(step.Y1) : step.Interpolate(times[next]);
                for (int j = 0; j < m; j++) outputs[(next - 1) * m + j] = scope.Keep(state[j]);
            }
            if (k == plan.Steps.Count - 1) break;
            var f1 = scope.Keep(step.F1);
            scope.Keep(step.Y1);
            if (!ReferenceEquals(y, z0)) StateOps.Dispose(y);
            if (f0 is not null) StateOps.Dispose(f0);
            (y, f0) = (step.Y1, f1);
        }
        if (!ReferenceEquals(y, z0)) StateOps.Dispose(y);
        if (f0 is not null) StateOps.Dispose(f0);
        return outputs;
    }
}
