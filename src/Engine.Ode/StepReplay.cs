namespace Engine.Ode;

/// <summary>
/// Takes the accepted steps of a <see cref="StepPlan"/> again, with the same step ends and the same stage values as
/// the solve that made the plan, so the states come out the same to the bit (a random f draws what it drew there when
/// the solve recorded its draws). No step-size control, no rejected steps, no initial step selection.
/// </summary>
internal static class StepReplay
{
    /// <summary>
    /// The state at the start of every planned step (element 0 is z0 itself), reusing f(t1, y1) as the next step's
    /// first stage. The last step is not taken: nothing starts after it.
    /// </summary>
    public static OdeState[] Starts(ButcherTableau tableau, Dynamics dynamics, OdeState z0, StepPlan plan)
    {
        var starts = new OdeState[plan.Steps.Count];
        if (starts.Length == 0) return starts;
        starts[0] = z0;
        OdeState? f0 = null;
        for (int k = 0; k + 1 < starts.Length; k++)
        {
            var (t0, h, t1, draws) = plan.Steps[k];
            using var scope = TensorScope.Begin();
            var step = RungeKuttaStep.Take(tableau, dynamics, t0, starts[k], f0, h, t1, replay: draws);
            if (f0 is not null) StateOps.Dispose(f0);
            f0 = k + 2 < starts.Length ? scope.Keep(step.F1) : null;
            starts[k + 1] = scope.Keep(step.Y1);
        }
        return starts;
    }

    /// <summary>
    /// One planned step from <paramref name="y"/>: the components of its end state, then those of the dense output at
    /// each of <paramref name="interpolated"/> (indices into <paramref name="times"/>), in that order.
    /// </summary>
    public static Tensor[] Step(ButcherTableau tableau, Dynamics dynamics, OdeState y, PlannedStep planned, double[] times, IReadOnlyList<int> interpolated)
    {
        var step = RungeKuttaStep.Take(tableau, dynamics, planned.T0, y, null, planned.H, planned.T1, replay: planned.Draws);
        var outputs = new List<Tensor>(step.Y1);
        foreach (int i in interpolated) outputs.AddRange(step.Interpolate(times[i]));
        return [.. outputs];
    }
}
