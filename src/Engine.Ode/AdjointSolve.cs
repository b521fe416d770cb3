using Engine.Autodiff;

namespace Engine.Ode;

/// <summary>
/// The continuous adjoint (Chen et al. 2018). Keeps the forward outputs. The backward pass integrates the augmented
/// state (z, a, a_theta) from each output time t_i back to t_(i-1), with dz/dt = f(t, z), da/dt = -a^T df/dz and
/// da_theta/dt = -a^T df/dtheta: one <see cref="Grad.Vjp"/> of f per evaluation, on a tape of its own that is gone
/// when the evaluation returns, so memory does not grow with the steps. At each output time z restarts from the
/// forward's output and a gains that output's gradient (as torchdiffeq does).
/// </summary>
internal sealed class AdjointSolve(Func<Tensor, OdeState, OdeState> f, OdeOptions options, double[] grid, Tensor[] parameters)
    : SolveFunction(f, options, grid, parameters)
{
    public override string Name => "Ode.Solve (Adjoint)";

    protected override void Save(FunctionContext context, OdeState z0, Tensor[] stacked, Tensor[] parameters, StepPlan plan) =>
        context.SaveForBackward([.. stacked, .. parameters]);

    protected override (OdeState A0, Tensor?[] ParameterGradients, Func<int, OdeState> States) Differentiate(
        FunctionContext context, Func<int, OdeState> cotangent, bool[] needParameter)
    {
        if (Tape.IsGradEnabled)
            throw new NotSupportedException(
                $"{Name}: second derivatives through the adjoint method are not supported (the backward pass is being recorded); " +
                "use OdeGradient.Checkpointed or Direct");
        int m = Components;
        var saved = context.SavedTensors;
        var stacked = saved.Take(m).ToArray();
        var shapes = stacked.Select(s => s.Shape[1..]).ToArray();
        OdeState State(int i) => new(stacked.Select((s, j) => s.Narrow(0, i, 1).Reshape(shapes[j])).ToArray());
        var thetas = Enumerable.Range(0, needParameter.Length).Where(p => needParameter[p]).Select(p => saved[m + p]).ToArray();

        var last = cotangent(Grid.Length - 1);
        var a = Grid.Length > 1 ? StateOps.NewHandles(last) : new OdeState(last.Select(g => g.ZerosLike()).ToArray());
        var aTheta = thetas.Select(p => p.ZerosLike()).ToArray();
        var augmented = new Dynamics(AugmentedField(thetas), new OdeState([.. State(0), .. a, .. aTheta]));
        var backwardOptions = Options with { Rtol = Options.AdjointRtol ?? Options.Rtol, Atol = Options.AdjointAtol ?? Options.Atol };
        int normComponents = Options.AdjointSeminorm ? 2 * m : 2 * m + thetas.Length;
        for (int i = Grid.Length - 1; i > 0; i--)
        {
            using var scope = TensorScope.Begin();
            var start = new OdeState([.. State(i), .. a, .. aTheta]);
            Integration result;
            try
            {
                result = Integrator.Run(augmented, start, [Grid[i], Grid[i - 1]], backwardOptions, Span, normComponents);
            }
            catch (OdeSolverException e)
            {
                throw new OdeSolverException(
                    $"{Name}: the backward solve from t = {Describe.Number(Grid[i])} to t = {Describe.Number(Grid[i - 1])} failed: {e.Message}",
                    e.Time, e.StepSize, e.ErrorNorm, e);
            }
            Stats.BackwardAcceptedSteps += result.Accepted;
            Stats.BackwardRejectedSteps += result.Rejected;
            var end = result.Outputs[1];
            StateOps.Dispose(new OdeState([.. a, .. aTheta]));
            a = new OdeState(Enumerable.Range(0, m).Select(j => scope.Keep(i > 1 ? end[m + j] + cotangent(i - 1)[j] : end[m + j])).ToArray());
            aTheta = Enumerable.Range(2 * m, thetas.Length).Select(j => scope.Keep(end[j])).ToArray();
        }
        Stats.BackwardEvaluations += augmented.Evaluations;

        var parameterGradients = new Tensor?[needParameter.Length];
        for (int p = 0, n = 0; p < needParameter.Length; p++)
            if (needParameter[p]) parameterGradients[p] = aTheta[n++];
        return (a, parameterGradients, State);
    }

    /// <summary>(z, a, a_theta) -&gt; (f(t, z), -a^T df/dz, -a^T df/dtheta), by one vector-Jacobian product with cotangent -a.</summary>
    private Func<Tensor, OdeState, OdeState> AugmentedField(Tensor[] thetas) => (t, state) =>
    {
        int m = Components;
        var negatedA = Enumerable.Range(m, m).Select(j => -state[j]).ToArray();
        var (derivative, vjps) = FieldVjp(xs => [.. F(t, new OdeState(xs[..m]))], [.. state.Take(m), .. thetas], negatedA,
            () => $"at t = {Describe.Number(t.Item<double>())} in the backward solve");
        return new OdeState([.. derivative, .. vjps]);
    };
}
