using Engine.Autodiff;

namespace Engine.Ode;

/// <summary>
/// ANODE checkpointing (Gholami, Keutzer and Biros 2019). Keeps z0, the parameters and the accepted steps of the
/// forward solve. The backward pass re-runs those steps from z0 inside one <see cref="Grad.Vjp"/> (an inner tape
/// that records only this solve, gone when the call returns) and back-propagates the outputs' gradients through
/// them: the exact gradient of the discrete forward, as the Direct method computes it, with this solve's steps in
/// memory only while it is differentiated. When the backward pass is itself recorded (second derivatives) the
/// re-run and its back-propagation are recorded on the outer tapes.
/// </summary>
internal sealed class CheckpointedSolve(Func<Tensor, OdeState, OdeState> f, OdeOptions options, double[] grid, bool checkParameters)
    : SolveFunction(f, options, grid, checkParameters)
{
    private StepPlan? plan;

    public override string Name => "Ode.Solve (Checkpointed)";

    protected override void Save(FunctionContext context, OdeState z0, Tensor[] stacked, Tensor[] parameters, StepPlan plan)
    {
        this.plan = plan;
        context.SaveForBackward([.. z0, .. parameters]);
    }

    protected override (OdeState A0, Tensor?[] ParameterGradients, Func<int, OdeState> States) Differentiate(
        FunctionContext context, Func<int, OdeState> cotangent, bool[] needParameter)
    {
        int m = Components;
        var saved = context.SavedTensors;
        var z0 = new OdeState(saved.Take(m).ToArray());
        var thetas = Enumerable.Range(0, needParameter.Length).Where(p => needParameter[p]).Select(p => saved[m + p]).ToArray();
        var cotangents = Enumerable.Range(1, Grid.Length - 1).SelectMany(i => cotangent(i)).ToArray();
        var dynamics = new Dynamics(F, z0);
        var (outputs, vjps) = Grad.Vjp(xs => StepReplay.Outputs(Options.Solver, dynamics, new OdeState(xs[..m]), Grid, plan!),
            [.. z0, .. thetas], cotangents, createGraph: Tape.IsGradEnabled, allowUnused: true);
        Stats.BackwardEvaluations += dynamics.Evaluations;
        Stats.BackwardAcceptedSteps += plan!.Steps.Count;

        var parameterGradients = new Tensor?[needParameter.Length];
        for (int p = 0, n = m; p < needParameter.Length; p++)
            if (needParameter[p]) parameterGradients[p] = vjps[n++];
        OdeState State(int i) => i == 0 ? z0 : new OdeState(outputs[((i - 1) * m)..(i * m)]);
        return (new OdeState(vjps[..m]), parameterGradients, State);
    }
}
