using Engine.Ode.Tests.Support;
using Xunit;

namespace Engine.Ode.Tests;

/// <summary>
/// The adjoint's gradients approximate those of the exact flow: as its backward tolerances tighten (the forward
/// solved tightly), they converge to the Direct gradient of a tight forward solve, for z0, the parameters and the
/// times; with fixed steps they converge as the steps shrink, at the solver's order.
/// </summary>
public class AdjointGradientTests(ITestOutputHelper output)
{
    /// <summary>The largest difference over all gradients, relative to the largest reference gradient.</summary>
    private static double Error(double[][] actual, double[][] reference)
    {
        double worst = 0, scale = reference.SelectMany(r => r).Max(Math.Abs);
        for (int i = 0; i < actual.Length; i++)
            worst = Math.Max(worst, Errors.MaxAbs(actual[i], reference[i]));
        return worst / scale;
    }

    [Fact]
    public void ConvergesToTheDirectGradientAsTheAdjointTolerancesTighten()
    {
        var p = MlpField.Inputs();
        using var times = Tensor.From(new[] { 0.0, 0.4, 0.9, 1.5 });
        try
        {
            var forward = new OdeOptions { Solver = Solvers.Dopri5, Rtol = 1e-12, Atol = 1e-12 };
            var reference = MlpField.Gradients(p, times, forward);
            double[] tolerances = [1e-4, 1e-6, 1e-8, 1e-10];
            var errors = tolerances.Select(tol =>
                Error(MlpField.Gradients(p, times, forward with { Gradient = OdeGradient.Adjoint, AdjointRtol = tol, AdjointAtol = tol }), reference)).ToArray();
            for (int k = 0; k < tolerances.Length; k++) output.WriteLine($"adjoint rtol = atol = {tolerances[k]:E0}: relative gradient error {errors[k]:E2}");
            for (int k = 1; k < tolerances.Length; k++)
                Assert.True(errors[k] < errors[k - 1] / 10, $"error {errors[k]:E2} at tolerance {tolerances[k]:E0} after {errors[k - 1]:E2} at {tolerances[k - 1]:E0}");
            Assert.True(errors[^1] < 1e-8, $"error {errors[^1]:E2} at tolerance 1e-10");
        }
        finally
        {
            MlpField.Dispose(p);
        }
    }

    [Fact]
    public void WithFixedStepsConvergesAtTheSolversOrder()
    {
        var p = MlpField.Inputs();
        using var times = Tensor.From(new[] { 0.0, 0.4, 0.9, 1.5 });
        try
        {
            var reference = MlpField.Gradients(p, times, new OdeOptions { Solver = Solvers.Dopri5, Rtol = 1e-12, Atol = 1e-12 });
            double[] stepSizes = [0.1, 0.05, 0.025];
            var errors = stepSizes.Select(h =>
                Error(MlpField.Gradients(p, times, new OdeOptions { Solver = Solvers.Rk4, StepSize = h, Gradient = OdeGradient.Adjoint }), reference)).ToArray();
            double order = Errors.ObservedOrder(stepSizes, errors);
            output.WriteLine($"rk4 adjoint errors {string.Join(", ", errors.Select(e => e.ToString("E2")))}: observed order {order:F2}");
            Assert.InRange(order, 3.6, 4.4);
        }
        finally
        {
            MlpField.Dispose(p);
        }
    }

    [Fact]
    public void TheSeminormTakesFewerBackwardStepsAndStillConverges()
    {
        var p = MlpField.Inputs();
        using var times = Tensor.From(new[] { 0.0, 0.4, 0.9, 1.5 });
        try
        {
            var forward = new OdeOptions { Solver = Solvers.Dopri5, Rtol = 1e-12, Atol = 1e-12 };
            var reference = MlpField.Gradients(p, times, forward);
            var adjoint = forward with { Gradient = OdeGradient.Adjoint, AdjointRtol = 1e-7, AdjointAtol = 1e-7 };
            var (full, fullStats) = GradientsAndStats(p, times, adjoint);
            var (semi, semiStats) = GradientsAndStats(p, times, adjoint with { AdjointSeminorm = true });
            output.WriteLine($"mixed norm: {fullStats.BackwardEvaluations} evaluations, error {Error(full, reference):E2}; " +
                $"seminorm: {semiStats.BackwardEvaluations} evaluations, error {Error(semi, reference):E2}");
            Assert.True(semiStats.BackwardEvaluations < fullStats.BackwardEvaluations);
            Assert.True(Error(semi, reference) < 1e-7);
        }
        finally
        {
            MlpField.Dispose(p);
        }
    }

    private static (double[][] Gradients, OdeStats Stats) GradientsAndStats(Tensor[] p, Tensor times, OdeOptions options)
    {
        using var scope = TensorScope.Begin();
        using var tape = Engine.Autodiff.Tape.Record();
        foreach (var input in p) tape.Watch(input);
        tape.Watch(times);
        var solution = Ode.Solve((t, z) => MlpField.Field(t, z, p), p[0], times, options with { Parameters = p[1..] });
        var gradients = tape.Gradients(MlpField.Objective(solution.States), [.. p, times]).Select(g => g.ToArray<double>()).ToArray();
        return (gradients, solution.Stats);
    }
}
