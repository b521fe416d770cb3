using Engine.Ode.Tests.Support;
using Xunit;

namespace Engine.Ode.Tests;

/// <summary>
/// Every solver, with fixed steps, on a linear system (against its matrix exponential) and on a nonlinear,
/// non-autonomous equation: the least-squares slope of log(global error at the end) against log(h) over four
/// step counts must be the method's order within 0.3. The step counts were chosen from a sweep of each pair
/// to lie where the local slopes have settled and the errors are well above F64 rounding: the 5th-order
/// pairs, whose leading error terms are small by design, approach their order from above on the nonlinear
/// problem (local slopes 5.3 to 5.1 in the window), and DOP853 reaches rounding within a few dozen steps.
/// </summary>
public class ConvergenceOrderTests(ITestOutputHelper output)
{
    private const double Slack = 0.3;

    public static TheoryData<string, string, int[]> Cases() => new()
    {
        { "euler", "linear", [1280, 2560, 5120, 10240] },
        { "midpoint", "linear", [160, 320, 640, 1280] },
        { "heun", "linear", [160, 320, 640, 1280] },
        { "rk4", "linear", [120, 240, 480, 960] },
        { "rk4-3/8", "linear", [120, 240, 480, 960] },
        { "bosh3", "linear", [160, 320, 640, 1280] },
        { "dopri5", "linear", [120, 240, 480, 960] },
        { "tsit5", "linear", [160, 320, 640, 1280] },
        { "dopri8", "linear", [30, 45, 68, 101] },
        { "euler", "riccati", [40, 80, 160, 320] },
        { "midpoint", "riccati", [40, 80, 160, 320] },
        { "heun", "riccati", [40, 80, 160, 320] },
        { "rk4", "riccati", [20, 40, 80, 160] },
        { "rk4-3/8", "riccati", [40, 80, 160, 320] },
        { "bosh3", "riccati", [40, 80, 160, 320] },
        { "dopri5", "riccati", [120, 160, 240, 320] },
        { "tsit5", "riccati", [120, 160, 240, 320] },
        { "dopri8", "riccati", [14, 18, 22, 27] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ObservedOrderMatchesTheOrder(string solverName, string problemName, int[] stepCounts)
    {
        var solver = Solvers.All.Single(s => s.Name == solverName);
        var problem = problemName == Problem.Linear.Name ? Problem.Linear : Problem.Riccati;
        var expected = problem.Exact(problem.End);
        var errors = new double[stepCounts.Length];
        for (int i = 0; i < stepCounts.Length; i++)
        {
            using var scope = TensorScope.Begin();
            var solution = Ode.Solve(problem.Derivative, problem.InitialState(), Tensor.From(new[] { 0.0, problem.End }),
                new OdeOptions { Solver = solver, Steps = stepCounts[i] });
            Assert.Equal(stepCounts[i], solution.Stats.AcceptedSteps);
            errors[i] = Errors.MaxAbs(solution.States.Narrow(0, 1, 1).ToArray<double>(), expected);
        }
        double order = Errors.ObservedOrder(stepCounts.Select(n => problem.End / n).ToArray(), errors);
        string report = $"{solverName} on {problemName}: observed order {order:F2}, errors {string.Join(", ", errors.Select(e => e.ToString("E2")))}";
        output.WriteLine(report);
        Assert.True(Math.Abs(order - solver.Order) <= Slack, $"{report}; expected order {solver.Order}");
    }
}
