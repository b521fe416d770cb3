using Engine.Autodiff;
using Engine.Ode.Tests.Support;
using Engine.Random;
using Xunit;

namespace Engine.Ode.Tests;

/// <summary>
/// Second derivatives: with the backward pass recorded (createGraph) the Checkpointed method's re-run and its
/// back-propagation are recorded too, so a Hessian-vector product through it equals the Direct method's. The
/// adjoint and the time gradients refuse a recorded backward pass with a clear error instead of dropping terms.
/// </summary>
public class SecondDerivativeTests
{
    /// <summary>H v for the loss sum(w * states^2) as a function of z0 and the parameters, v fixed and random.</summary>
    private static double[][] HessianVectorProduct(OdeOptions options)
    {
        var p = MlpField.Inputs();
        try
        {
            using var scope = TensorScope.Begin();
            var times = Tensor.From(new[] { 0.0, 0.5, 1.2 });
            using var tape = Tape.Record();
            foreach (var input in p) tape.Watch(input);
            var states = Ode.Solve((t, z) => MlpField.Field(t, z, p), p[0], times, options with { Parameters = p[1..] }).States;
            var loss = MlpField.Objective(states.Square());
            var grads = tape.Gradients(loss, p, createGraph: true);
            var generator = new Generator(5);
            var projection = grads.Select(g => (g * Tensor.Randn(g.Shape, DType.F64, generator)).Sum()).Aggregate((a, b) => a + b);
            return tape.Gradients(projection, p).Select(h => h.ToArray<double>()).ToArray();
        }
        finally
        {
            MlpField.Dispose(p);
        }
    }

    public static TheoryData<string> Solvers() => new("rk4", "dopri5");

    [Theory]
    [MemberData(nameof(Solvers))]
    public void CheckpointedHessianVectorProductsEqualTheDirectOnes(string solver)
    {
        var options = solver == "rk4"
            ? new OdeOptions { Solver = Engine.Ode.Solvers.Rk4, Steps = 12 }
            : new OdeOptions { Solver = Engine.Ode.Solvers.Dopri5, Rtol = 1e-6, Atol = 1e-6 };
        var direct = HessianVectorProduct(options);
        var checkpointed = HessianVectorProduct(options with { Gradient = OdeGradient.Checkpointed });
        Assert.True(direct.SelectMany(h => h).Max(Math.Abs) > 1e-2, "the Hessian-vector product vanishes");
        for (int i = 0; i < direct.Length; i++)
            for (int k = 0; k < direct[i].Length; k++)
                Assert.True(Math.Abs(checkpointed[i][k] - direct[i][k]) <= 1e-12 * (1 + Math.Abs(direct[i][k])),
                    $"input {i} element {k}: checkpointed {checkpointed[i][k]:R}, direct {direct[i][k]:R}");
    }

    [Fact]
    public void TheAdjointRefusesARecordedBackwardPass()
    {
        var error = Assert.Throws<NotSupportedException>(() =>
            HessianVectorProduct(new OdeOptions { Solver = Engine.Ode.Solvers.Rk4, Steps = 4, Gradient = OdeGradient.Adjoint }));
        Assert.Contains("Ode.Solve (Adjoint): second derivatives through the adjoint method are not supported", error.Message);
    }

    [Theory]
    [InlineData(OdeGradient.Direct)]
    [InlineData(OdeGradient.Checkpointed)]
    public void TimeGradientsRefuseARecordedBackwardPass(OdeGradient method)
    {
        using var scope = TensorScope.Begin();
        var times = Tensor.From(new[] { 0.0, 1.0 });
        var z0 = Tensor.From(new[] { 1.0, 2.0 });
        using var tape = Tape.Record();
        tape.Watch(times);
        tape.Watch(z0);
        var states = Ode.Solve((t, z) => -z, z0, times, new OdeOptions { Solver = Engine.Ode.Solvers.Rk4, Steps = 4, Gradient = method }).States;
        var error = Assert.Throws<NotSupportedException>(() => tape.Gradients(states.Square().Sum(), [z0, times], createGraph: true));
        Assert.Contains("second derivatives that involve the times are not supported", error.Message);
        Assert.Contains("times.Detach()", error.Message);
    }
}
