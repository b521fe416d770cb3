using Engine.Ode.Tests.Support;
using Xunit;

namespace Engine.Ode.Tests;

/// <summary>
/// The Checkpointed method re-runs the accepted steps and back-propagates through them, so its gradients are the
/// Direct method's, to rounding (F64), for fixed and adaptive solvers, for z0, the parameters and the times; and
/// like the Direct method's they match finite differences of the discrete solve.
/// </summary>
public class CheckpointedGradientTests(ITestOutputHelper output)
{
    public static TheoryData<string, bool> Cases() => new()
    {
        { "rk4", false }, { "midpoint", false }, { "bosh3", true }, { "dopri5", true }, { "tsit5", true }, { "dopri8", true }, { "rk4", true },
    };

    private static OdeOptions Options(string name, bool adaptive) =>
        adaptive && name != "rk4"
            ? new OdeOptions { Solver = Solvers.All.Single(s => s.Name == name), Rtol = 1e-6, Atol = 1e-6 }
            : new OdeOptions { Solver = Solvers.All.Single(s => s.Name == name), StepSize = adaptive ? 0.07 : 0.1 };

    [Theory]
    [MemberData(nameof(Cases))]
    public void EqualsTheDirectGradientToRounding(string name, bool adaptive)
    {
        var inputs = MlpField.Inputs();
        using var times = Tensor.From(new[] { 0.0, 0.4, 0.9, 1.5 });
        try
        {
            var options = Options(name, adaptive);
            var direct = MlpField.Gradients(inputs, times, options with { Gradient = OdeGradient.Direct });
            var checkpointed = MlpField.Gradients(inputs, times, options with { Gradient = OdeGradient.Checkpointed });
            double worst = 0;
            for (int i = 0; i < direct.Length; i++)
                for (int k = 0; k < direct[i].Length; k++)
                {
                    double difference = Math.Abs(checkpointed[i][k] - direct[i][k]) / (1 + Math.Abs(direct[i][k]));
                    worst = Math.Max(worst, difference);
                    Assert.True(difference <= 1e-13, $"{name}: input {i} element {k}: checkpointed {checkpointed[i][k]:R}, direct {direct[i][k]:R}");
                }
            output.WriteLine($"{name}: largest |checkpointed - direct| / (1 + |direct|) = {worst:E2}");
        }
        finally
        {
            MlpField.Dispose(inputs);
        }
    }
}
