using Engine.Ode.Tests.Support;
using Xunit;

namespace Engine.Ode.Tests;

/// <summary>
/// The continuous extension of one step from the exact y(t0), evaluated inside the step at theta = 0.4: its
/// error shrinks like h^(q+1) for a dense output of order q (the local error of an order-q interpolant), fitted
/// over four step sizes within 0.3. The step sizes lie where the local slopes have settled above F64 rounding;
/// DOP853 is measured on the linear system, as on the Riccati problem its extension converges faster than its
/// order (local slopes near 9) until rounding.
/// </summary>
public class DenseOutputOrderTests(ITestOutputHelper output)
{
    private const double T0 = 0.2, Theta = 0.4, Slack = 0.3;

    public static TheoryData<string, string, double[]> Cases() => new()
    {
        { "bosh3", "riccati", [0.0125, 0.00625, 0.003125, 0.0015625] },
        { "dopri5", "riccati", [0.05, 0.025, 0.0125, 0.00625] },
        { "tsit5", "riccati", [0.05, 0.025, 0.0125, 0.00625] },
        { "dopri8", "linear", [0.8, 0.6, 0.4, 0.3] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void LocalErrorShrinksWithTheDenseOrder(string name, string problemName, double[] stepSizes)
    {
        var tableau = Solvers.All.Single(s => s.Name == name);
        var problem = problemName == Problem.Linear.Name ? Problem.Linear : Problem.Riccati;
        var errors = new double[stepSizes.Length];
        for (int i = 0; i < stepSizes.Length; i++)
        {
            using var scope = TensorScope.Begin();
            var y0 = new OdeState(Tensor.From(problem.Exact(T0), problem.Shape));
            var dynamics = new Dynamics((t, z) => new OdeState(problem.Derivative(t, z[0])), y0);
            double h = stepSizes[i];
            var step = RungeKuttaStep.Take(tableau, dynamics, T0, y0, null, h, T0 + h);
            double t = T0 + Theta * h;
            errors[i] = Errors.MaxAbs(step.Interpolate(t)[0].ToArray<double>(), problem.Exact(t));
        }
        double order = Errors.ObservedOrder(stepSizes, errors);
        string report = $"{name} dense output on {problemName}: local error order {order:F2}, errors {string.Join(", ", errors.Select(e => e.ToString("E2")))}";
        output.WriteLine(report);
        Assert.True(Math.Abs(order - (tableau.DenseOutputOrder!.Value + 1)) <= Slack, $"{report}; expected {tableau.DenseOutputOrder + 1}");
    }
}
