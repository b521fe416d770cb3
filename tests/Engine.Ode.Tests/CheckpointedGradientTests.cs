using Engine.Autodiff;
using Engine.Ode.Tests.Support;
using Engine.Random;
using Xunit;

namespace Engine.Ode.Tests;

/// <summary>
/// The Checkpointed method re-runs the accepted steps and back-propagates through them, so its gradients are the
/// Direct method's, to rounding (F64), for fixed and adaptive solvers, for z0, the parameters and the times, also
/// for tuple states; like the Direct method's they match finite differences of the discrete solve.
/// </summary>
public class CheckpointedGradientTests(ITestOutputHelper output)
{
    /// <summary>Fixed steps that divide the intervals, fixed steps that do not (0.07), and adaptive solvers at a loose tolerance (many steps, rejections).</summary>
    public static TheoryData<string, double?> Cases() => new()
    {
        { "rk4", 0.1 }, { "midpoint", 0.1 }, { "rk4", 0.07 }, { "bosh3", null }, { "dopri5", null }, { "tsit5", null }, { "dopri8", null },
    };

    private static OdeOptions Options(string name, double? stepSize) => stepSize is { } h
        ? new OdeOptions { Solver = Solvers.All.Single(s => s.Name == name), StepSize = h }
        : new OdeOptions { Solver = Solvers.All.Single(s => s.Name == name), Rtol = 1e-6, Atol = 1e-6 };

    [Theory]
    [MemberData(nameof(Cases))]
    public void EqualsTheDirectGradientToRounding(string name, double? stepSize)
    {
        var inputs = MlpField.Inputs();
        using var times = Tensor.From(new[] { 0.0, 0.4, 0.9, 1.5 });
        try
        {
            var options = Options(name, stepSize);
            var direct = MlpField.Gradients(inputs, times, options with { Gradient = OdeGradient.Direct });
            var checkpointed = MlpField.Gradients(inputs, times, options with { Gradient = OdeGradient.Checkpointed });
            output.WriteLine($"{name}: largest |checkpointed - direct| / (1 + |direct|) = {Difference(checkpointed, direct):E2}");
            Assert.True(Difference(checkpointed, direct) <= 1e-13);
        }
        finally
        {
            MlpField.Dispose(inputs);
        }
    }

    [Theory]
    [InlineData("rk4", null)]
    [InlineData("dopri5", null)]
    [InlineData("tsit5", 3)]
    [InlineData("bosh3", 4)]
    [InlineData("dopri8", null)]
    public void ARandomFieldGetsTheSameDrawsInTheReRunAndTheDirectGradients(string name, int? outputs)
    {
        // Noise in f: the re-run must draw what the forward drew, skipping the draws of rejected attempts, and dense
        // outputs interpolate steps whose extra stages draw too.
        var solver = Solvers.All.Single(s => s.Name == name);
        var options = solver.IsAdaptive ? new OdeOptions { Solver = solver, Rtol = 1e-5, Atol = 1e-5 } : new OdeOptions { Solver = solver, Steps = 10 };
        (double[] W, double[] Z0, GeneratorState AfterForward, GeneratorState AfterBackward, int Rejected) Run(OdeGradient method)
        {
            using var scope = TensorScope.Begin();
            var generator = new Generator(31);
            var w = Tensor.From(new[] { -0.8, 0.6 });
            var z0 = Tensor.From(new[] { 1.0, -0.5 });
            w.RequiresGrad = z0.RequiresGrad = true;
            using var times = outputs is { } n ? Tensor.Linspace(0, 1.5, n, DType.F64) : Tensor.From(new[] { 0.0, 1.5 });
            using var tape = Tape.Record();
            Tensor Field(Tensor t, Tensor z) => (z * w).Tanh() * (1 + Tensor.Randn([2], DType.F64, generator) * 0.001);
            var solution = Ode.Solve(Field, z0, times, options with { Gradient = method });
            var afterForward = generator.GetState();
            var grads = tape.Gradients(solution.States.Square().Sum(), [w, z0]);
            return (grads[0].ToArray<double>(), grads[1].ToArray<double>(), afterForward, generator.GetState(), solution.Stats.RejectedSteps);
        }
        var direct = Run(OdeGradient.Direct);
        var checkpointed = Run(OdeGradient.Checkpointed);
        output.WriteLine($"{name}: {checkpointed.Rejected} rejected steps; dL/dw {string.Join(", ", checkpointed.W)} against {string.Join(", ", direct.W)}");
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(direct.W[i], checkpointed.W[i], 1e-12);
            Assert.Equal(direct.Z0[i], checkpointed.Z0[i], 1e-12);
        }
        Assert.Equal(direct.AfterForward, checkpointed.AfterForward);
        Assert.Equal(checkpointed.AfterForward, checkpointed.AfterBackward);
    }

    [Theory]
    [InlineData("rk4")]
    [InlineData("dopri5")]
    public void MatchesFiniteDifferencesOfTheDiscreteSolve(string name)
    {
        var options = name == "rk4"
            ? new OdeOptions { Solver = Solvers.Rk4, Steps = 12, Gradient = OdeGradient.Checkpointed }
            : new OdeOptions { Solver = Solvers.Dopri5, Rtol = 1e-10, Atol = 1e-10, Gradient = OdeGradient.Checkpointed };
        MlpField.CheckAgainstFiniteDifferences(name, options);
    }

    [Fact]
    public void TupleStatesGetTheDirectGradients()
    {
        var p = MlpField.Inputs();
        using var s0 = Tensor.From(new[] { 0.5, -1.0 });
        using var times = Tensor.From(new[] { 0.0, 0.6, 1.0 });
        var options = new OdeOptions { Solver = Solvers.Dopri5, Rtol = 1e-7, Atol = 1e-7, Parameters = p[1..] };
        double[][] Gradients(OdeGradient method)
        {
            using var scope = TensorScope.Begin();
            using var tape = Engine.Autodiff.Tape.Record();
            foreach (var input in (Tensor[])[.. p, s0, times]) tape.Watch(input);
            // z' = field(t, z), s' = -s * mean(z): the second component depends on the first.
            var solution = Ode.Solve((t, z) => new OdeState(MlpField.Field(t, z[0], p), -z[1] * z[0].Mean()), new OdeState(p[0], s0), times,
                options with { Gradient = method });
            var loss = MlpField.Objective(solution.States[0]) + solution.States[1].Square().Sum();
            return tape.Gradients(loss, [.. p, s0, times]).Select(g => g.ToArray<double>()).ToArray();
        }
        try
        {
            Assert.True(Difference(Gradients(OdeGradient.Checkpointed), Gradients(OdeGradient.Direct)) <= 1e-13);
        }
        finally
        {
            MlpField.Dispose(p);
        }
    }

    private static double Difference(double[][] actual, double[][] expected)
    {
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
            for (int k = 0; k < expected[i].Length; k++)
                worst = Math.Max(worst, Math.Abs(actual[i][k] - expected[i][k]) / (1 + Math.Abs(expected[i][k])));
        return worst;
    }
}
