using Engine.Ode.Tests.Support;
using Engine.Random;
using Xunit;

namespace Engine.Ode.Tests;

/// <summary>
/// The Direct method: back-propagation through the recorded solver steps gives the gradient of the discrete
/// solve, checked against central finite differences of that solve in F64, for z0 and for the parameters an
/// MLP field closes over (including one that only enters through t). For adaptive steps the step sizes depend
/// on the parameters but are not differentiated; at tolerance 1e-10 that difference is far below the check's.
/// </summary>
public class DirectGradientTests
{
    private const ulong Seed = 0x0DE;

    /// <summary>f(t, z) = tanh(z W1^T + b1 + t c) W2^T + b2 with z of shape [3, 2]; inputs are z0, W1, b1, c, W2, b2.</summary>
    private static Tensor[] Inputs()
    {
        var generator = new Generator(Seed);
        Tensor Draw(int[] shape, double scale)
        {
            using var draw = Tensor.Randn(shape, DType.F64, generator);
            return draw * scale;
        }
        return [Draw([3, 2], 1), Draw([4, 2], 0.8), Draw([4], 0.3), Draw([4], 0.5), Draw([2, 4], 0.8), Draw([2], 0.3)];
    }

    private static Tensor Field(Tensor t, Tensor z, Tensor[] p) => Tensor.Linear((Tensor.Linear(z, p[1], p[2]) + t * p[3]).Tanh(), p[4], p[5]);

    /// <summary>sum(w * states) for fixed standard normal weights w, so every output time and element counts.</summary>
    private static Tensor Objective(Tensor states)
    {
        var w = Tensor.Randn(states.Shape, DType.F64, new Generator(Seed + 1));
        return (states * w).Sum();
    }

    public static TheoryData<string> Cases() => new("rk4", "midpoint", "dopri5", "tsit5", "dopri8");

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesFiniteDifferencesOfTheDiscreteSolve(string name)
    {
        var solver = Solvers.All.Single(s => s.Name == name);
        var options = solver.IsAdaptive ? new OdeOptions { Solver = solver, Rtol = 1e-10, Atol = 1e-10 } : new OdeOptions { Solver = solver, Steps = 12 };
        var inputs = Inputs();
        using var times = Tensor.From(new[] { 0.0, 0.4, 0.9, 1.5 });
        try
        {
            FiniteDifferences.Check(name, p => Objective(Ode.Solve((t, z) => Field(t, z, p), p[0], times, options).States), inputs);
        }
        finally
        {
            foreach (var input in inputs) input.Dispose();
        }
    }

    [Fact]
    public void TupleStatesGetGradientsForEveryComponent()
    {
        var inputs = Inputs();
        using var s0 = Tensor.From(new[] { 0.5, -1.0 });
        using var times = Tensor.From(new[] { 0.0, 1.0 });
        var options = new OdeOptions { Solver = Solvers.Rk38, Steps = 10 };
        try
        {
            // z' = field(t, z), s' = -s * mean(z): the second component depends on the first.
            FiniteDifferences.Check("tuple", p =>
            {
                var solution = Ode.Solve((t, z) => new OdeState(Field(t, z[0], p), -z[1] * z[0].Mean()), new OdeState(p[0], p[6]), times, options);
                return Objective(solution.States[0]) + Objective(solution.States[1]);
            }, [.. inputs, s0]);
        }
        finally
        {
            foreach (var input in inputs) input.Dispose();
        }
    }
}
