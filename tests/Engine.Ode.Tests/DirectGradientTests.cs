using Engine.Ode.Tests.Support;
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
    public static TheoryData<string> Cases() => new("rk4", "midpoint", "dopri5", "tsit5", "dopri8");

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesFiniteDifferencesOfTheDiscreteSolve(string name)
    {
        var solver = Solvers.All.Single(s => s.Name == name);
        var options = solver.IsAdaptive ? new OdeOptions { Solver = solver, Rtol = 1e-10, Atol = 1e-10 } : new OdeOptions { Solver = solver, Steps = 12 };
        MlpField.CheckAgainstFiniteDifferences(name, options);
    }

    [Fact]
    public void TupleStatesGetGradientsForEveryComponent()
    {
        var inputs = MlpField.Inputs();
        using var s0 = Tensor.From(new[] { 0.5, -1.0 });
        using var times = Tensor.From(new[] { 0.0, 1.0 });
        var options = new OdeOptions { Solver = Solvers.Rk38, Steps = 10 };
        try
        {
            // z' = field(t, z), s' = -s * mean(z): the second component depends on the first.
            FiniteDifferences.Check("tuple", p =>
            {
                var solution = Ode.Solve((t, z) => new OdeState(MlpField.Field(t, z[0], p), -z[1] * z[0].Mean()), new OdeState(p[0], p[6]), times, options);
                return MlpField.Objective(solution.States[0]) + MlpField.Objective(solution.States[1]);
            }, [.. inputs, s0]);
        }
        finally
        {
            MlpField.Dispose(inputs);
        }
    }
}
