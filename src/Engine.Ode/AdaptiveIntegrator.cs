namespace Engine.Ode;

/// <summary>
/// Adaptive steps with error control. Steps are chosen by the error estimate alone (only the last output time
/// clips a step); outputs in between come from the method's continuous extension of the step that contains
/// them. A first-same-as-last method reuses f(t1, y1) as the next step's first stage, also after a rejection.
/// Each attempt runs in its own scope; an accepted step keeps y1, f(t1, y1) and its outputs, and the previous
/// state and derivative are disposed.
/// </summary>
internal sealed class AdaptiveIntegrator
{
    private const double UnitRoundoff = 1.1102230246251565e-16;

    private readonly ButcherTableau tableau;
    private readonly Dynamics dynamics;
    private readonly OdeOptions options;
    private readonly double[] times;
    private readonly int normComponents;

    private AdaptiveIntegrator(ButcherTableau tableau, Dynamics dynamics, OdeOptions options, double[] times, int normComponents)
    {
        this.tableau = tableau;
        this.dynamics = dynamics;
        this.options = options;
        this.times = times;
        this.normComponents = normComponents;
    }

    /// <summary>Integrates through <paramref name="times"/>; the error norm is taken over the first <paramref name="normComponents"/> components of the state.</summary>
    public static Integration Integrate(ButcherTableau tableau, Dynamics dynamics, OdeState z0, double[] times, OdeOptions options, int normComponents) =>
        new AdaptiveIntegrator(tableau, dynamics, options, times, normComponents).Run(z0);

    private Integration Run(OdeState z0)
    {
        var outputs = new OdeState[times.Length];
        outputs[0] = z0;
        var plan = new StepPlan(times.Length);
        if (times.Length == 1) return new Integration(outputs, 0, 0, plan);

        double t = times[0], end = times[^1], span = Math.Abs(end - t), direction = Math.Sign(end - t);
        var y = z0;
        var f0 = dynamics.Evaluate(t, y, out var f0Draws);
        if (!StateOps.IsFinite(f0))
            throw new OdeSolverException($"Ode.Solve: f(t = {Describe.Number(t)}, z0) returned NaN or infinite values", t, 0, double.NaN);
        var error = tableau.Error!;
        double h = direction * (options.FirstStep ?? InitialStep.Select(dynamics, t, y, f0, direction, span, error.Exponent, options.Rtol, options.Atol, normComponents));
        var controller = new StepSizeController(error.Exponent, options.Safety, options.MinFactor, options.MaxFactor);
        int next = 1, accepted = 0, rejected = 0;
        double lastError = double.NaN;
        while (next < times.Length)
        {
            if (accepted + rejected >= options.MaxSteps)
                throw new OdeSolverException(
                    $"Ode.Solve: reached MaxSteps = {options.MaxSteps} at t = {Describe.Number(t)} before t = {Describe.Number(end)} " +
                    $"(h = {Describe.Number(h)}, last error norm {Describe.Number(lastError)}); raise MaxSteps or loosen Rtol/Atol, the problem may be stiff",
                    t, h, lastError);
            if (direction * (t + h - end) >= 0) h = end - t;
            if (Math.Abs(h) <= 10 * UnitRoundoff * Math.Max(Math.Abs(t), span))
                throw new OdeSolverException(
                    $"Ode.Solve: step size underflow at t = {Describe.Number(t)}: h = {Describe.Number(h)} is too small to advance t " +
                    $"(last error norm {Describe.Number(lastError)})" +
                    (double.IsFinite(lastError) ? "; the solution may blow up here" : $"; f returned NaN or infinite values near t = {Describe.Number(t)}"),
                    t, h, lastError);
            double t1 = h == end - t ? end : t + h;

            using var scope = TensorScope.Begin();
            var step = RungeKuttaStep.Take(tableau, dynamics, t, y, f0, h, t1, f0Draws);
            lastError = step.ErrorRatio(options.Rtol, options.Atol, normComponents);
            if (!(lastError <= 1))
            {
                rejected++;
                h = controller.Reject(h, lastError);
                continue;
            }
            accepted++;
            int index = plan.Add(t, h, t1, step.Draws);
            for (; next < times.Length && direction * (times[next] - t1) <= 0; next++)
            {
                bool atEnd = times[next] == t1;
                plan.Outputs[next] = new OutputSlot(index, atEnd);
                outputs[next] = scope.Keep(atEnd ? StateOps.NewHandles(step.Y1) : step.Interpolate(times[next]));
            }
            if (next == times.Length) break;
            var f1 = scope.Keep(step.F1);
            scope.Keep(step.Y1);
            if (!ReferenceEquals(y, z0)) StateOps.Dispose(y);
            StateOps.Dispose(f0);
            (t, y, f0, f0Draws) = (t1, step.Y1, f1, step.F1Draws);
            h = controller.Accept(h, lastError);
        }
        return new Integration(outputs, accepted, rejected, plan);
    }
}
