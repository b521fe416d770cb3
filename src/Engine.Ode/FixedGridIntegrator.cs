using Engine.Random;

namespace Engine.Ode;

/// <summary>
/// Fixed steps: each interval between consecutive output times is split into the fewest equal steps no longer
/// than the step size, so every output is the end of a step. Each step runs in its own scope; only its y1
/// survives it, and the state before it is disposed once y1 exists.
/// </summary>
internal static class FixedGridIntegrator
{
    public static Integration Integrate(ButcherTableau tableau, Dynamics dynamics, OdeState z0, double[] times, double stepSize, int maxSteps)
    {
        var counts = StepsPerInterval(times, stepSize);
        long total = counts.Sum(c => (long)c);
        if (total > maxSteps)
            throw new ArgumentException(
                $"Ode.Solve: steps of at most {Describe.Number(stepSize)} from t = {Describe.Number(times[0])} to t = {Describe.Number(times[^1])} " +
                $"take {total} steps, more than MaxSteps = {maxSteps}");
        var outputs = new OdeState[times.Length];
        outputs[0] = z0;
        var plan = new StepPlan(times.Length);
        var y = z0;
        for (int i = 0; i < counts.Length; i++)
        {
            double start = times[i], h = (times[i + 1] - start) / counts[i];
            for (int s = 0; s < counts[i]; s++)
            {
                double t0 = start + s * h, t1 = s == counts[i] - 1 ? times[i + 1] : start + (s + 1) * h;
                var (y1, draws) = Step(tableau, dynamics, y, t0, h, t1);
                if (!ReferenceEquals(y, z0)) StateOps.Dispose(y);
                y = y1;
                plan.Outputs[i + 1] = new OutputSlot(plan.Add(t0, h, t1, draws), AtEnd: true);
            }
            outputs[i + 1] = StateOps.NewHandles(y);
        }
        return new Integration(outputs, (int)total, 0, plan);
    }

    private static (OdeState Y1, IReadOnlyList<GeneratorPositions?>? Draws) Step(ButcherTableau tableau, Dynamics dynamics, OdeState y, double t0, double h, double t1)
    {
        using var scope = TensorScope.Begin();
        var step = RungeKuttaStep.Take(tableau, dynamics, t0, y, null, h, t1);
        if (!StateOps.IsFinite(step.Y1))
            throw new OdeSolverException(
                $"Ode.Solve: the state became NaN or infinite in the step from t = {Describe.Number(t0)} to t = {Describe.Number(t1)} " +
                $"(h = {Describe.Number(h)}): f returned non-finite values, or the step is too large for the dynamics",
                t0, h, double.NaN);
        return (scope.Keep(step.Y1), step.Draws);
    }

    /// <summary>The fewest equal steps of at most <paramref name="stepSize"/> in each interval (a relative 1e-12 of slack absorbs rounding in the division).</summary>
    private static int[] StepsPerInterval(double[] times, double stepSize)
    {
        var counts = new int[times.Length - 1];
        for (int i = 0; i < counts.Length; i++)
        {
            double steps = Math.Ceiling(Math.Abs(times[i + 1] - times[i]) / stepSize * (1 - 1e-12));
            if (steps > int.MaxValue)
                throw new ArgumentException($"Ode.Solve: a step size of {Describe.Number(stepSize)} gives over {int.MaxValue} steps from t = {Describe.Number(times[i])} to t = {Describe.Number(times[i + 1])}");
            counts[i] = Math.Max(1, (int)steps);
        }
        return counts;
    }
}
