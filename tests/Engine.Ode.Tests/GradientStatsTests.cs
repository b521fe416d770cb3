using Engine.Autodiff;
using Engine.Ode.Tests.Support;
using Xunit;

namespace Engine.Ode.Tests;

/// <summary>
/// What each method's backward pass costs, in <see cref="OdeStats"/>: the Direct method calls no f backward; the
/// Checkpointed method re-runs the accepted steps (as many calls as the forward less the initial step selection and
/// the rejected attempts); the adjoint evaluates its augmented system once per stage of its own backward steps.
/// </summary>
public class GradientStatsTests
{
    private static OdeStats SolveAndDifferentiate(OdeOptions options, bool timesNeedGradients = false)
    {
        var p = MlpField.Inputs();
        try
        {
            using var scope = TensorScope.Begin();
            using var times = Tensor.From(new[] { 0.0, 0.4, 0.9, 1.5 });
            using var tape = Tape.Record();
            foreach (var input in p) tape.Watch(input);
            if (timesNeedGradients) tape.Watch(times);
            var solution = Ode.Solve((t, z) => MlpField.Field(t, z, p), p[0], times, options with { Parameters = p[1..] });
            Assert.Equal(0, solution.Stats.BackwardEvaluations);
            tape.Gradients(MlpField.Objective(solution.States), p);
            return solution.Stats;
        }
        finally
        {
            MlpField.Dispose(p);
        }
    }

    [Fact]
    public void TheDirectBackwardCallsNoF()
    {
        var stats = SolveAndDifferentiate(new OdeOptions { Solver = Solvers.Rk4, Steps = 30 });
        Assert.Equal(new OdeStats(120, 30, 0), stats);
        Assert.Equal((0, 0, 0), (stats.BackwardEvaluations, stats.BackwardAcceptedSteps, stats.BackwardRejectedSteps));
    }

    [Fact]
    public void TheCheckpointedBackwardReplaysTheAcceptedSteps()
    {
        var fixedSteps = SolveAndDifferentiate(new OdeOptions { Solver = Solvers.Rk4, Steps = 30, Gradient = OdeGradient.Checkpointed });
        Assert.Equal((120, 30, 0), (fixedSteps.BackwardEvaluations, fixedSteps.BackwardAcceptedSteps, fixedSteps.BackwardRejectedSteps));

        var adaptive = SolveAndDifferentiate(new OdeOptions { Solver = Solvers.Dopri5, Rtol = 1e-8, Atol = 1e-8, Gradient = OdeGradient.Checkpointed });
        Assert.Equal(adaptive.AcceptedSteps, adaptive.BackwardAcceptedSteps);
        // dopri5 forward: f(t0, z0), the initial step selection's probe, then 6 per attempted step (its 5 new stages
        // and f(t1, y1)). The replay skips the probe and the rejected attempts, and the last step needs no f(t1, y1).
        Assert.Equal(adaptive.ForwardEvaluations - 2 - 6 * adaptive.RejectedSteps, adaptive.BackwardEvaluations);
    }
}
