using Engine.Autodiff;
using Engine.Ode.Tests.Support;
using Xunit;

namespace Engine.Ode.Tests;

/// <summary>
/// Gradients with respect to the times, which every method computes as those of the exact flow at the computed
/// states: against the exact derivatives of a linear system (start time included), and against finite differences
/// of a fine fixed-step solve of a non-autonomous field.
/// </summary>
public class TimeGradientTests
{
    private static readonly double[,] A = { { -0.3, 1.0, 0.2 }, { -1.0, -0.1, 0.4 }, { 0.1, -0.5, -0.2 } };
    private static readonly double[] Z0 = [1, -0.5, 0.25];
    private static readonly double[] Grid = [0.2, 0.7, 1.5, 2.4];
    private static readonly double[][] W = [[0.3, -1, 0.5], [1, 0.2, -0.4], [-0.7, 0.6, 0.9], [0.5, 0.5, -1]];

    public static TheoryData<OdeGradient> Methods() => new(OdeGradient.Direct, OdeGradient.Adjoint, OdeGradient.Checkpointed);

    /// <summary>L = sum_i w_i . z(t_i) for z' = A z: dL/dt_i = w_i . A z(t_i) (i &gt;= 1), dL/dt_0 = -a_0 . A z0 with a_0 = sum_(i &gt;= 1) exp(A (t_i - t_0))^T w_i.</summary>
    private static double[] ExactTimeGradient()
    {
        var exact = new double[Grid.Length];
        var a0 = new double[3];
        for (int i = 1; i < Grid.Length; i++)
        {
            var flow = Flow(Grid[i] - Grid[0]);
            var z = MatrixExponential.Apply(flow, Z0);
            exact[i] = Dot(W[i], MatrixExponential.Apply(A, z));
            for (int r = 0; r < 3; r++)
                for (int c = 0; c < 3; c++) a0[c] += flow[r, c] * W[i][r];
        }
        exact[0] = -Dot(a0, MatrixExponential.Apply(A, Z0));
        return exact;
    }

    private static double[,] Flow(double t)
    {
        var scaled = new double[3, 3];
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++) scaled[r, c] = A[r, c] * t;
        return MatrixExponential.Of(scaled);
    }

    private static double Dot(double[] x, double[] y) => x.Zip(y, (a, b) => a * b).Sum();

    [Theory]
    [MemberData(nameof(Methods))]
    public void MatchTheExactDerivativesOfALinearSystem(OdeGradient method)
    {
        using var scope = TensorScope.Begin();
        var times = Tensor.From(Grid);
        var transposed = Tensor.From(A).Transpose();
        var weights = Tensor.From(W.SelectMany(w => w).ToArray(), [4, 1, 3]);
        using var tape = Tape.Record();
        tape.Watch(times);
        var options = new OdeOptions { Solver = Solvers.Dopri5, Rtol = 1e-11, Atol = 1e-11, Gradient = method };
        var states = Ode.Solve((t, z) => z.MatMul(transposed), Tensor.From(Z0, [1, 3]), times, options).States;
        var gradient = tape.Gradients((states * weights).Sum(), times)[0].ToArray<double>();
        var exact = ExactTimeGradient();
        for (int i = 0; i < Grid.Length; i++)
            Assert.True(Math.Abs(gradient[i] - exact[i]) <= 1e-8 * (1 + Math.Abs(exact[i])), $"{method}: dL/dt_{i} = {gradient[i]:R}, exact {exact[i]:R}");
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void MatchFiniteDifferencesOfAFineSolveOfANonAutonomousField(OdeGradient method)
    {
        var p = MlpField.Inputs();
        // Fixed steps of at most 0.01 that divide no interval evenly, so a small change of a time changes no step count.
        using var times = Tensor.From(new[] { 0.0, 0.403, 0.9071, 1.5123 });
        var options = new OdeOptions { Solver = Solvers.Rk4, StepSize = 0.01, Gradient = method };
        try
        {
            FiniteDifferences.Check($"{method}", inputs => MlpField.Objective(
                Ode.Solve((t, z) => MlpField.Field(t, z, p), p[0], inputs[0], options).States), times);
        }
        finally
        {
            MlpField.Dispose(p);
        }
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void WithASingleTimeZ0PassesThroughAndTheTimeGetsZero(OdeGradient method)
    {
        using var scope = TensorScope.Begin();
        var times = Tensor.From(new[] { 0.5 });
        var z0 = Tensor.From(new[] { 1.0, -2.0 });
        using var tape = Tape.Record();
        tape.Watch(times);
        tape.Watch(z0);
        var states = Ode.Solve((t, z) => z * t, z0, times, new OdeOptions { Gradient = method }).States;
        var grads = tape.Gradients((states * 3).Sum(), [z0, times]);
        Assert.Equal([3.0, 3.0], grads[0].ToArray<double>());
        Assert.Equal([0.0], grads[1].ToArray<double>());
    }
}
