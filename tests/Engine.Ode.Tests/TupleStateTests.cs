using Xunit;

namespace Engine.Ode.Tests;

/// <summary>
/// A state of several tensors of different shapes: a harmonic oscillator split into position and velocity
/// ([3] each, coupled) and an independent 0-dimensional s' = cos(t) s. Exact: x = x0 cos t + v0 sin t,
/// v = v0 cos t - x0 sin t, s = s0 e^(sin t).
/// </summary>
public class TupleStateTests
{
    private static readonly double[] X0 = [1, 0, -0.5], V0 = [0, 1, 0.25];
    private const double S0 = 0.75, End = 2;

    private static OdeState Field(Tensor t, OdeState z) => new(z[1], -z[0], z[2] * t.Cos());

    private static OdeState Initial() => new(Tensor.From(X0), Tensor.From(V0), Tensor.Scalar(S0, DType.F64));

    private static double[][] Exact(double t) =>
    [
        X0.Zip(V0, (x, v) => x * Math.Cos(t) + v * Math.Sin(t)).ToArray(),
        X0.Zip(V0, (x, v) => v * Math.Cos(t) - x * Math.Sin(t)).ToArray(),
        [S0 * Math.Exp(Math.Sin(t))],
    ];

    public static TheoryData<string> TupleSolvers() => new("rk4", "dopri5", "dopri8");

    [Theory]
    [MemberData(nameof(TupleSolvers))]
    public void EachComponentFollowsItsExactSolution(string name)
    {
        var solver = Solvers.All.Single(s => s.Name == name);
        var options = solver.IsAdaptive ? new OdeOptions { Solver = solver, Rtol = 1e-9, Atol = 1e-9 } : new OdeOptions { Solver = solver, Steps = 400 };
        using var scope = TensorScope.Begin();
        var times = Tensor.Linspace(0, End, 5, DType.F64);
        var solution = Ode.Solve(Field, Initial(), times, options);
        Assert.Equal(3, solution.States.Count);
        Assert.Equal([5, 3], solution.States[0].Shape);
        Assert.Equal([5, 3], solution.States[1].Shape);
        Assert.Equal([5], solution.States[2].Shape);
        var grid = times.ToArray<double>();
        for (int j = 0; j < 3; j++)
        {
            var values = solution.States[j].ToArray<double>();
            for (int i = 0; i < grid.Length; i++)
            {
                var exact = Exact(grid[i])[j];
                for (int k = 0; k < exact.Length; k++)
                    Assert.True(Math.Abs(values[i * exact.Length + k] - exact[k]) < 1e-8, $"component {j} at t = {grid[i]}: {values[i * exact.Length + k]}, exact {exact[k]}");
            }
        }
    }

    [Fact]
    public void FixedStepsOnATupleEqualThoseOnTheConcatenatedState()
    {
        using var scope = TensorScope.Begin();
        var options = new OdeOptions { Solver = Solvers.Rk4, Steps = 50 };
        var times = Tensor.From(new[] { 0.0, End });
        var tuple = Ode.Solve(Field, Initial(), times, options);
        var flat = Ode.Solve((t, z) =>
        {
            var parts = z.Split([3, 3, 1]);
            return Tensor.Concat([parts[1], -parts[0], parts[2] * t.Cos()]);
        }, Tensor.From([.. X0, .. V0, S0]), times, options);
        var joined = tuple.States.SelectMany(c => c.Narrow(0, 1, 1).ToArray<double>()).ToArray();
        Assert.Equal(flat.States.Narrow(0, 1, 1).ToArray<double>(), joined);
    }
}
