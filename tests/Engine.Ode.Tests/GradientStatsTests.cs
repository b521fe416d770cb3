using Engine.Autodiff;
using Engine.Ode.Tests.Support;
using Xunit;

namespace Engine.Ode.Tests;

/// <summary>
/// What each method's backward pass costs, in <see cref="OdeStats"/>: the Direct method calls no f backward; the
/// Checkpointed method re-runs the accepted steps but the last, then evaluates every step again as it
/// back-propagates through it (no initial step selection, no rejected attempts); the adjoint evaluates its augmented
/// system once per stage of its own backward steps.
/// </summary>
public class GradientStatsTests
{
    private static OdeStats SolveAndDifferentiate(OdeOptions options, double[]? grid = null)
    {
        var p = MlpField.Inputs();
        try
        {
            using var scope = TensorScope.Begin();
            using var times = Tensor.From(grid ?? [0.0, 0.4, 0.9, 1.5]);
            using var tape = Tape.Record();
            foreach (var input in p) tape.Watch(input);
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
        // RK4, K = 30 steps: the re-run takes K - 1 steps of 4 evaluations, the back-propagation K steps of 4.
        var fixedSteps = SolveAndDifferentiate(new OdeOptions { Solver = Solvers.Rk4, Steps = 30, Gradient = OdeGradient.Checkpointed });
        Assert.Equal((236, 30, 0), (fixedSteps.BackwardEvaluations, fixedSteps.BackwardAcceptedSteps, fixedSteps.BackwardRejectedSteps));

        // dopri5 forward: f(t0, z0), the initial step selection's probe, then 6 per attempted step (its 5 new stages and
        // f(t1, y1)). Backward, without output times inside steps: the re-run takes K - 1 steps, 1 + 5 (K - 1) + (K - 2)
        // evaluations (f(t1, y1) serves as the next step's first stage), and the back-propagation K steps of 6.
        var adaptive = SolveAndDifferentiate(new OdeOptions { Solver = Solvers.Dopri5, Rtol = 1e-8, Atol = 1e-8, Gradient = OdeGradient.Checkpointed },
            [0.0, 1.5]);
        int k = adaptive.AcceptedSteps;
        Assert.Equal(2 + 6 * (k + adaptive.RejectedSteps), adaptive.ForwardEvaluations);
        Assert.Equal((12 * k - 6, k), (adaptive.BackwardEvaluations, adaptive.BackwardAcceptedSteps));
    }

    [Fact]
    public void TheAdjointCountsItsBackwardSolve()
    {
        // RK4 backward over the same 30 steps: 4 evaluations of the augmented system per step.
        var fixedSteps = SolveAndDifferentiate(new OdeOptions { Solver = Solvers.Rk4, Steps = 30, Gradient = OdeGradient.Adjoint });
        Assert.Equal((120, 30, 0), (fixedSteps.BackwardEvaluations, fixedSteps.BackwardAcceptedSteps, fixedSteps.BackwardRejectedSteps));

        var adaptive = SolveAndDifferentiate(new OdeOptions { Solver = Solvers.Dopri5, Rtol = 1e-8, Atol = 1e-8, Gradient = OdeGradient.Adjoint });
        // Per backward interval: f at the start, the initial step's probe, 6 per attempted step.
        Assert.Equal(3 * 2 + 6 * (adaptive.BackwardAcceptedSteps + adaptive.BackwardRejectedSteps), adaptive.BackwardEvaluations);
    }
}
