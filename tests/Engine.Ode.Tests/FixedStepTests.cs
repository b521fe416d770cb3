using Engine.Ode.Tests.Support;
using Xunit;

namespace Engine.Ode.Tests;

/// <summary>Fixed steps: how Steps and StepSize lay out the grid, what a step costs, and integration backwards.</summary>
public class FixedStepTests
{
    public static TheoryData<string> Names() => new(Solvers.All.Select(s => s.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void StepsTakesThatManyStepsAtTheMethodsCost(string name)
    {
        var solver = Solvers.All.Single(s => s.Name == name);
        using var scope = TensorScope.Begin();
        var problem = Problem.Riccati;
        var stats = Ode.Solve(problem.Derivative, problem.InitialState(), Tensor.Linspace(0, 1, 11, DType.F64),
            new OdeOptions { Solver = solver, Steps = 100 }).Stats;
        Assert.Equal(new OdeStats(100 * solver.EvaluationsPerStep, 100, 0), stats);
    }

    [Fact]
    public void StepSizeSplitsEachIntervalIntoEqualStepsEndingOnTheOutputTimes()
    {
        using var scope = TensorScope.Begin();
        var problem = Problem.Riccati;
        var options = new OdeOptions { Solver = Solvers.Rk4, StepSize = 0.1 };
        var solution = Ode.Solve(problem.Derivative, problem.InitialState(), Tensor.From(new[] { 0.0, 0.25, 1.0 }), options);
        Assert.Equal(3 + 8, solution.Stats.AcceptedSteps);
        var first = Ode.Solve(problem.Derivative, problem.InitialState(), Tensor.From(new[] { 0.0, 0.25 }), options with { StepSize = null, Steps = 3 });
        Assert.Equal(first.States.Narrow(0, 1, 1).ToArray<double>(), solution.States.Narrow(0, 1, 1).ToArray<double>());
    }

    [Fact]
    public void AStepSizeThatDividesTheIntervalIsKeptDespiteRounding()
    {
        using var scope = TensorScope.Begin();
        var problem = Problem.Riccati;
        var stats = Ode.Solve(problem.Derivative, problem.InitialState(), Tensor.From(new[] { 0.0, 0.3 }), new OdeOptions { Solver = Solvers.Euler, StepSize = 0.1 }).Stats;
        Assert.Equal(3, stats.AcceptedSteps);
    }

    [Fact]
    public void IntegratesBackwardsInTime()
    {
        using var scope = TensorScope.Begin();
        var problem = Problem.Linear;
        var solution = Ode.Solve(problem.Derivative, Tensor.From(problem.Exact(2), problem.Shape), Tensor.From(new[] { 2.0, 0.0 }),
            new OdeOptions { Solver = Solvers.Rk4, Steps = 200 });
        Assert.True(Errors.MaxAbs(solution.States.Narrow(0, 1, 1).ToArray<double>(), problem.Y0) < 1e-8);
    }

    [Fact]
    public void ASingleOutputTimeReturnsZ0WithoutEvaluatingF()
    {
        using var scope = TensorScope.Begin();
        var z0 = Tensor.From(new[] { 1.0, 2.0 });
        foreach (var options in new[] { new OdeOptions(), new OdeOptions { Solver = Solvers.Rk4, Steps = 3 } })
        {
            var solution = Ode.Solve((t, z) => throw new InvalidOperationException("f must not be called"), z0, Tensor.From(new[] { 0.5 }), options);
            Assert.Equal([1, 2], solution.States.Shape);
            Assert.Equal([1.0, 2.0], solution.States.ToArray<double>());
            Assert.Equal(new OdeStats(0, 0, 0), solution.Stats);
        }
    }
}
