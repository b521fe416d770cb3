namespace Engine.Ode;

/// <summary>What an integrator returns: the states at the output times (element 0 is z0), the step counts and the accepted steps.</summary>
internal sealed record Integration(OdeState[] Outputs, int Accepted, int Rejected, StepPlan Plan);

/// <summary>Runs the fixed-grid or the adaptive integrator, as the options say.</summary>
internal static class Integrator
{
    /// <summary>
    /// Integrates from z0 at times[0] through the other times. Fixed steps are at most <c>StepSize</c>, or
    /// <paramref name="span"/> / <c>Steps</c>: the span of the whole forward solve, also when the adjoint integrates one
    /// interval of it. <paramref name="normComponents"/> is how many leading components of the state count in the
    /// adaptive error norm (all by default; the adjoint's seminorm leaves out the parameter adjoints).
    /// </summary>
    public static Integration Run(Dynamics dynamics, OdeState z0, double[] times, OdeOptions options, double span, int? normComponents = null)
    {
        if (options.IsFixedStep)
        {
            double stepSize = options.StepSize ?? span / options.Steps!.Value;
            return FixedGridIntegrator.Integrate(options.Solver, dynamics, z0, times, stepSize, options.MaxSteps);
        }
        return AdaptiveIntegrator.Integrate(options.Solver, dynamics, z0, times, options, normComponents ?? z0.Count);
    }
}
