using Engine.Ode.Tests.Support;
using Xunit;

namespace Engine.Ode.Tests;

/// <summary>
/// Adaptive steps against exact solutions: the tolerance is met at every requested time (most of them inside
/// steps, so they come from the dense output), output times do not change the steps taken, first-same-as-last
/// stages are reused, and integration runs backwards in time as well.
/// </summary>
public class AdaptiveStepTests(ITestOutputHelper output)
{
    private const double End = 2;

    public static TheoryData<string, string, double> ToleranceCases()
    {
        var data = new TheoryData<string, string, double>();
        foreach (var solver in AdaptiveNames)
            foreach (var problem in new[] { "linear", "riccati" })
                foreach (var tolerance in new[] { 1e-5, 1e-8 })
                    data.Add(solver, problem, tolerance);
        return data;
    }

    public static TheoryData<string> Adaptive() => new(AdaptiveNames);

    private static readonly string[] AdaptiveNames = ["bosh3", "dopri5", "tsit5", "dopri8"];

    private static ButcherTableau Named(string name) => Solvers.All.Single(s => s.Name == name);

    private static Problem ProblemNamed(string name) => name == Problem.Linear.Name ? Problem.Linear : Problem.Riccati;

    /// <summary>
    /// Error control is local: each accepted step's estimate is within atol + rtol |y|. Over [0, 2] these stable
    /// problems keep the global error within twice that at all 41 output times (bosh3, with hundreds of steps,
    /// reaches 1.8 times; the higher-order pairs stay below 0.7 times).
    /// </summary>
    [Theory]
    [MemberData(nameof(ToleranceCases))]
    public void MeetsTheToleranceAtEveryOutputTime(string solverName, string problemName, double tolerance)
    {
        var problem = ProblemNamed(problemName);
        var options = new OdeOptions { Solver = Named(solverName), Rtol = tolerance, Atol = tolerance };
        using var scope = TensorScope.Begin();
        var times = Tensor.Linspace(0, End, 41, DType.F64);
        var solution = Ode.Solve(problem.Derivative, problem.InitialState(), times, options);
        var grid = times.ToArray<double>();
        var states = solution.States.ToArray<double>();
        int size = problem.Y0.Length;
        double worst = 0;
        for (int i = 0; i < grid.Length; i++)
        {
            var exact = problem.Exact(grid[i]);
            for (int k = 0; k < size; k++)
                worst = Math.Max(worst, Math.Abs(states[i * size + k] - exact[k]) / (tolerance + tolerance * Math.Abs(exact[k])));
        }
        output.WriteLine($"{solverName} on {problemName} at tolerance {tolerance:E0}: worst error / (atol + rtol |y|) = {worst:F3}, {solution.Stats}");
        Assert.True(worst <= 2, $"{solverName} on {problemName}: error {worst:F2} times atol + rtol |y| at tolerance {tolerance:E0} ({solution.Stats})");
    }

    [Theory]
    [MemberData(nameof(Adaptive))]
    public void OutputTimesDoNotChangeTheSteps(string solverName)
    {
        var problem = Problem.Riccati;
        var options = new OdeOptions { Solver = Named(solverName), Rtol = 1e-6, Atol = 1e-6 };
        using var scope = TensorScope.Begin();
        var ends = Ode.Solve(problem.Derivative, problem.InitialState(), Tensor.From(new[] { 0.0, End }), options);
        var many = Ode.Solve(problem.Derivative, problem.InitialState(), Tensor.Linspace(0, End, 101, DType.F64), options);
        Assert.Equal(ends.Stats.AcceptedSteps, many.Stats.AcceptedSteps);
        Assert.Equal(ends.Stats.RejectedSteps, many.Stats.RejectedSteps);
        Assert.Equal(ends.States.Narrow(0, 1, 1).ToArray<double>(), many.States.Narrow(0, 100, 1).ToArray<double>());
    }

    /// <summary>
    /// f is called once at t0, once by the initial step selection, then EvaluationsPerStep times per attempted
    /// step for the pairs whose error estimate uses f(t1, y1) (reused as the next first stage, also after a
    /// rejection); DOP853's estimate does not, so it evaluates f(t1, y1) only after accepting a step that is not the last.
    /// </summary>
    [Theory]
    [MemberData(nameof(Adaptive))]
    public void FirstSameAsLastStagesAreReused(string solverName)
    {
        var solver = Named(solverName);
        var problem = Problem.Riccati;
        using var scope = TensorScope.Begin();
        // A first step far too large forces rejections, which must reuse f(t0, y0) too.
        var stats = Ode.Solve(problem.Derivative, problem.InitialState(), Tensor.From(new[] { 0.0, End }),
            new OdeOptions { Solver = solver, Rtol = 1e-7, Atol = 1e-7, FirstStep = 1.5 }).Stats;
        Assert.True(stats.RejectedSteps > 0, $"expected rejections: {stats}");
        int attempts = stats.AcceptedSteps + stats.RejectedSteps;
        int expected = solver.Name == "dopri8"
            ? 1 + 11 * attempts + stats.AcceptedSteps - 1
            : 1 + solver.EvaluationsPerStep * attempts;
        Assert.Equal(expected, stats.ForwardEvaluations);
    }

    /// <summary>From t = 2 back to 0 through two interior output times, on the linear system (the Riccati problem is contractive forwards, so backwards it amplifies errors).</summary>
    [Theory]
    [MemberData(nameof(Adaptive))]
    public void IntegratesBackwardsInTime(string solverName)
    {
        const double tolerance = 1e-9;
        var problem = Problem.Linear;
        using var scope = TensorScope.Begin();
        var start = Tensor.From(problem.Exact(End), problem.Shape);
        var times = Tensor.From(new[] { End, 1.3, 0.7, 0.0 });
        var solution = Ode.Solve(problem.Derivative, start, times, new OdeOptions { Solver = Named(solverName), Rtol = tolerance, Atol = tolerance });
        var states = solution.States.ToArray<double>();
        var grid = times.ToArray<double>();
        for (int i = 0; i < grid.Length; i++)
        {
            var exact = problem.Exact(grid[i]);
            for (int k = 0; k < exact.Length; k++)
            {
                double error = Math.Abs(states[i * exact.Length + k] - exact[k]);
                Assert.True(error <= 2 * (tolerance + tolerance * Math.Abs(exact[k])), $"t = {grid[i]}: error {error:E2} in element {k}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Adaptive))]
    public void TighterTolerancesTakeMoreStepsAndErrLess(string solverName)
    {
        var problem = Problem.Linear;
        var exact = problem.Exact(End);
        double previousError = double.PositiveInfinity;
        int previousSteps = 0;
        foreach (var tolerance in new[] { 1e-4, 1e-6, 1e-8, 1e-10 })
        {
            using var scope = TensorScope.Begin();
            var solution = Ode.Solve(problem.Derivative, problem.InitialState(), Tensor.From(new[] { 0.0, End }),
                new OdeOptions { Solver = Named(solverName), Rtol = tolerance, Atol = tolerance });
            double error = Errors.MaxAbs(solution.States.Narrow(0, 1, 1).ToArray<double>(), exact);
            Assert.True(error < previousError && solution.Stats.AcceptedSteps > previousSteps,
                $"tolerance {tolerance:E0}: error {error:E2} after {previousError:E2}, {solution.Stats.AcceptedSteps} steps after {previousSteps}");
            (previousError, previousSteps) = (error, solution.Stats.AcceptedSteps);
        }
    }
}
