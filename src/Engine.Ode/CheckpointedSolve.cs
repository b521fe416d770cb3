using Engine.Autodiff;
using Engine.Random;

namespace Engine.Ode;

/// <summary>
/// ANODE checkpointing (Gholami, Keutzer and Biros 2019). Keeps z0, the parameters and the accepted steps of the
/// forward solve. The backward pass re-runs those steps from z0 without recording, keeping the state at the start of
/// each step, then back-propagates from the last step to the first, each step on its own inner tape
/// (<see cref="Grad.Vjp"/>, gone when the step is done): the exact gradient of the discrete forward, as the Direct
/// method computes it, holding one state per step and one step's activations. When the backward pass is itself
/// recorded (second derivatives) the re-run and the steps' back-propagation are recorded on the outer tapes. The
/// forward records where the generators f draws from stood before each evaluation (<see cref="StepPlan"/>), and the
/// re-run puts them there again, so a random f (dropout, noise) gets the same draws and the gradient stays exact.
/// </summary>
internal sealed class CheckpointedSolve(Func<Tensor, OdeState, OdeState> f, OdeOptions options, double[] grid, Tensor[] parameters)
    : SolveFunction(f, options, grid, parameters)
{
    private StepPlan? plan;

    public override string Name => "Ode.Solve (Checkpointed)";

    protected override bool ReplaysDraws => true;

    protected override void Save(FunctionContext context, OdeState z0, Tensor[] stacked, Tensor[] parameters, StepPlan plan)
    {
        this.plan = plan;
        context.SaveForBackward([.. z0, .. parameters]);
    }

    protected override (OdeState A0, Tensor?[] ParameterGradients, Func<int, OdeState> States) Differentiate(
        FunctionContext context, Func<int, OdeState> cotangent, bool[] needParameter)
    {
        int m = Components;
        var steps = plan!.Steps;
        var saved = context.SavedTensors;
        var z0 = new OdeState(saved.Take(m).ToArray());
        var thetas = Enumerable.Range(0, needParameter.Length).Where(p => needParameter[p]).Select(p => saved[m + p]).ToArray();
        bool createGraph = Tape.IsGradEnabled;
        // The re-run sets the generators f drew from back to the forward's positions; afterwards they return to where
        // they are now, so the backward pass consumes no random numbers.
        var generators = steps.SelectMany(s => s.Draws ?? []).OfType<GeneratorPositions>().SelectMany(p => p.Entries).Select(e => e.Generator);
        var positions = GeneratorPositions.Of(generators);
        try
        {
            return Replay(cotangent, z0, thetas, needParameter, createGraph);
        }
        finally
        {
            positions.Restore();
        }
    }

    private (OdeState A0, Tensor?[] ParameterGradients, Func<int, OdeState> States) Replay(
        Func<int, OdeState> cotangent, OdeState z0, Tensor[] thetas, bool[] needParameter, bool createGraph)
    {
        var steps = plan!.Steps;
        int m = Components;
        var dynamics = new Dynamics(F, z0);
        OdeState[] starts;
        using (createGraph ? default : Tape.NoGrad())
            starts = StepReplay.Starts(Options.Solver, dynamics, z0, plan);

        var slots = Enumerable.Range(0, steps.Count).Select(_ => new List<int>()).ToArray();
        for (int i = 1; i < Grid.Length; i++) slots[plan.Outputs[i].Step].Add(i);
        var outputs = new OdeState[Grid.Length];
        outputs[0] = z0;
        var a = new OdeState(z0.Select(c => c.ZerosLike()).ToArray());
        var aTheta = thetas.Select(p => p.ZerosLike()).ToArray();
        for (int k = steps.Count - 1; k >= 0; k--)
        {
            using var scope = TensorScope.Begin();
            var interpolated = slots[k].Where(i => !plan.Outputs[i].AtEnd).ToArray();
            var end = a;
            foreach (int i in slots[k].Where(i => plan.Outputs[i].AtEnd))
                end = new OdeState(end.Select((x, j) => x + cotangent(i)[j]).ToArray());
            var planned = steps[k];
            var (stepOutputs, vjps) = FieldVjp(xs => StepReplay.Step(Options.Solver, dynamics, new OdeState(xs[..m]), planned, Grid, interpolated),
                [.. starts[k], .. thetas], [.. end, .. interpolated.SelectMany(i => cotangent(i))],
                () => $"in the step from t = {Describe.Number(planned.T0)} to t = {Describe.Number(planned.T1)}", createGraph);
            foreach (int i in slots[k])
            {
                int offset = plan.Outputs[i].AtEnd ? 0 : m * (1 + Array.IndexOf(interpolated, i));
                outputs[i] = scope.Keep(new OdeState(stepOutputs[offset..(offset + m)]));
            }
            StateOps.Dispose(a);
            a = scope.Keep(new OdeState(vjps[..m]));
            for (int n = 0; n < thetas.Length; n++)
            {
                var sum = scope.Keep(aTheta[n] + vjps[m + n]);
                aTheta[n].Dispose();
                aTheta[n] = sum;
            }
            if (k > 0) StateOps.Dispose(starts[k]);
        }
        Stats.BackwardEvaluations += dynamics.Evaluations;
        Stats.BackwardAcceptedSteps += steps.Count;

        var parameterGradients = new Tensor?[needParameter.Length];
        for (int p = 0, n = 0; p < needParameter.Length; p++)
            if (needParameter[p]) parameterGradients[p] = aTheta[n++];
        return (a, parameterGradients, i => outputs[i]);
    }
}
