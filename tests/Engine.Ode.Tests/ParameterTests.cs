using Engine.Autodiff;
using Engine.Ode.Tests.Support;
using Engine.Random;
using Xunit;

namespace Engine.Ode.Tests;

/// <summary>
/// The Adjoint and Checkpointed solves are one node whose inputs are z0, the times and the parameters: the tracked
/// tensors the field reads are found by a probe evaluation, leaves and results of recorded ops alike; a given
/// OdeOptions.Parameters list is used as it is, must not miss a tensor the field reads, may name unused tensors
/// (zero gradients) and must name each tensor once and not z0.
/// </summary>
public class ParameterTests
{
    public static TheoryData<OdeGradient> NodeMethods() => new(OdeGradient.Adjoint, OdeGradient.Checkpointed);

    private static readonly OdeOptions Rk4 = new() { Solver = Solvers.Rk4, Steps = 8 };

    [Theory]
    [MemberData(nameof(NodeMethods))]
    public void TheTensorsTheFieldUsesAreFoundAndGetTheDirectMethodsGradients(OdeGradient method)
    {
        // w is a leaf; rate is computed from raw outside f, so only the outer tape knows it needs a gradient.
        (double[] W, double[] Raw) Gradients(OdeGradient gradient)
        {
            using var scope = TensorScope.Begin();
            var w = Tensor.From(new[] { 0.5, -0.25 });
            var raw = Tensor.From(new[] { 0.3, -0.2 });
            w.RequiresGrad = raw.RequiresGrad = true;
            var z0 = Tensor.From(new[] { 1.0, 0.5 });
            using var tape = Tape.Record();
            var rate = (raw * 2).Tanh();
            var options = new OdeOptions { Solver = Solvers.Dopri5, Rtol = 1e-10, Atol = 1e-10, Gradient = gradient };
            var states = Ode.Solve((t, z) => z * rate + (z * w).Sin() + t, z0, Tensor.From(new[] { 0.0, 0.7, 1.3 }), options).States;
            var grads = tape.Gradients(states.Square().Sum(), [w, raw]);
            return (grads[0].ToArray<double>(), grads[1].ToArray<double>());
        }
        var expected = Gradients(OdeGradient.Direct);
        var actual = Gradients(method);
        for (int i = 0; i < 2; i++)
        {
            Assert.NotEqual(0, expected.W[i]);
            Assert.NotEqual(0, expected.Raw[i]);
            Assert.Equal(expected.W[i], actual.W[i], 1e-7);
            Assert.Equal(expected.Raw[i], actual.Raw[i], 1e-7);
        }
    }

    [Theory]
    [MemberData(nameof(NodeMethods))]
    public void TheProbeEvaluationLeavesTheFieldsRandomDrawsAsTheyWouldBe(OdeGradient method)
    {
        // f draws noise: finding its tensors must not consume draws, so the solve sees what a solve without the probe sees.
        (GeneratorState After, double[] States) Solve(bool recorded)
        {
            using var scope = TensorScope.Begin();
            var generator = new Generator(17);
            var w = Tensor.From(new[] { 0.5, -0.25 });
            w.RequiresGrad = true;
            using var tape = recorded ? Tape.Record() : null;
            var options = Rk4 with { Gradient = method };
            var states = Ode.Solve((t, z) => z * w + Tensor.Randn([2], DType.F64, generator) * 0.01, Tensor.From(new[] { 1.0, 0.5 }),
                Tensor.From(new[] { 0.0, 1.0 }), options).States;
            return (generator.GetState(), states.ToArray<double>());
        }
        var unrecorded = Solve(recorded: false);
        var recorded = Solve(recorded: true);
        Assert.Equal(unrecorded.After, recorded.After);
        Assert.Equal(unrecorded.States, recorded.States);
    }

    [Theory]
    [MemberData(nameof(NodeMethods))]
    public void ATensorTheFieldReadsOnlyAwayFromTheStartIsRefusedInTheBackwardPassUnlessListed(OdeGradient method)
    {
        // The probe at (t_0, z0) sees only w1; w2 is read from t = 0.5 on. Unlisted, its gradient would be lost.
        (double[] W1, double[] W2) Gradients(OdeGradient gradient, bool list)
        {
            using var scope = TensorScope.Begin();
            var w1 = Tensor.From(new[] { 0.5, -0.25 });
            var w2 = Tensor.From(new[] { -0.3, 0.2 });
            w1.RequiresGrad = w2.RequiresGrad = true;
            using var tape = Tape.Record();
            var options = Rk4 with { Gradient = gradient, Parameters = list ? [w1, w2] : [] };
            var states = Ode.Solve((t, z) => t.Item<double>() < 0.5 ? z * w1 : z * w2, Tensor.From(new[] { 1.0, 0.5 }),
                Tensor.From(new[] { 0.0, 1.0 }), options).States;
            var grads = tape.Gradients(states.Square().Sum(), [w1, w2]);
            return (grads[0].ToArray<double>(), grads[1].ToArray<double>());
        }
        var error = Assert.Throws<ArgumentException>(() => Gradients(method, list: false));
        Assert.Contains($"Ode.Solve ({method}): f reads [2] F64 on cpu", error.Message);
        Assert.Contains("which need gradients but are not among the solve's 1 parameters", error.Message);
        Assert.Contains("OdeOptions.Parameters does not list them", error.Message);

        var expected = Gradients(OdeGradient.Direct, list: false);
        var listed = Gradients(method, list: true);
        for (int i = 0; i < 2; i++)
        {
            Assert.NotEqual(0, expected.W2[i]);
            Assert.Equal(expected.W1[i], listed.W1[i], method == OdeGradient.Checkpointed ? 1e-13 : 1e-3);
            Assert.Equal(expected.W2[i], listed.W2[i], method == OdeGradient.Checkpointed ? 1e-13 : 1e-3);
        }
    }

    [Theory]
    [MemberData(nameof(NodeMethods))]
    public void AListThatMissesATensorTheFieldUsesIsRefused(OdeGradient method)
    {
        using var scope = TensorScope.Begin();
        var w = Tensor.Full([2], 0.5, DType.F64);
        var v = Tensor.Full([3, 1], 0.25, DType.F64);
        w.RequiresGrad = v.RequiresGrad = true;
        var z0 = Tensor.From(new[] { 1.0, -1.0 });
        var times = Tensor.From(new[] { 0.0, 1.0 });
        Tensor Field(Tensor t, Tensor z) => z * w + v.Sum();
        using (var tape = Tape.Record())
        {
            Expect.Throws<ArgumentException>(() => Ode.Solve(Field, z0, times, Rk4 with { Gradient = method, Parameters = [w] }),
                "Ode.Solve: f uses [3, 1] F64", "not in OdeOptions.Parameters (1 listed)", $"{method} method");
            Assert.Equal(0, tape.NodeCount);
        }
        // Nothing recording: no gradient can be lost, so nothing to check.
        Ode.Solve(Field, z0, times, Rk4 with { Gradient = method, Parameters = [w] });
    }

    [Theory]
    [MemberData(nameof(NodeMethods))]
    public void AFieldOfConstantsNeedsNoParameters(OdeGradient method)
    {
        using var scope = TensorScope.Begin();
        var z0 = Tensor.From(new[] { 1.0, -1.0 });
        var times = Tensor.From(new[] { 0.0, 1.0 });
        using var tape = Tape.Record();
        tape.Watch(z0);
        var states = Ode.Solve((t, z) => -z, z0, times, new OdeOptions { Solver = Solvers.Dopri5, Rtol = 1e-10, Atol = 1e-10, Gradient = method }).States;
        var gradient = tape.Gradients(states.Narrow(0, 1, 1).Sum(), z0)[0].ToArray<double>();
        Assert.All(gradient, g => Assert.Equal(Math.Exp(-1), g, 1e-9));
    }

    [Theory]
    [MemberData(nameof(NodeMethods))]
    public void GradientsFlowThroughListedParametersToWhatProducedThem(OdeGradient method)
    {
        double[] RawGradient(OdeGradient gradient)
        {
            using var scope = TensorScope.Begin();
            var raw = Tensor.From(new[] { 0.3, -0.2 });
            raw.RequiresGrad = true;
            var z0 = Tensor.From(new[] { 1.0, 0.5 });
            using var tape = Tape.Record();
            var rate = (raw * 2).Tanh();
            var options = new OdeOptions { Solver = Solvers.Dopri5, Rtol = 1e-10, Atol = 1e-10, Gradient = gradient, Parameters = [rate] };
            var states = Ode.Solve((t, z) => z * rate + t, z0, Tensor.From(new[] { 0.0, 0.7, 1.3 }), options).States;
            return tape.Gradients(states.Square().Sum(), raw)[0].ToArray<double>();
        }
        var expected = RawGradient(OdeGradient.Direct);
        var actual = RawGradient(method);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-7);
    }

    [Theory]
    [MemberData(nameof(NodeMethods))]
    public void AListedParameterTheFieldDoesNotUseGetsZeros(OdeGradient method)
    {
        using var scope = TensorScope.Begin();
        var unused = Tensor.Ones([3], DType.F64);
        var z0 = Tensor.From(new[] { 1.0, 0.5 });
        using var tape = Tape.Record();
        tape.Watch(unused);
        tape.Watch(z0);
        var states = Ode.Solve((t, z) => -z, z0, Tensor.From(new[] { 0.0, 1.0 }), Rk4 with { Gradient = method, Parameters = [unused] }).States;
        var grads = tape.Gradients(states.Sum(), [z0, unused]);
        Assert.Equal(new double[3], grads[1].ToArray<double>());
    }

    [Fact]
    public void TheListNamesEachTensorOnceAndNotZ0()
    {
        using var scope = TensorScope.Begin();
        var w = Tensor.Ones([2], DType.F64);
        var z0 = Tensor.From(new[] { 1.0, 0.5 });
        var times = Tensor.From(new[] { 0.0, 1.0 });
        Expect.Throws<ArgumentException>(() => Ode.Solve((t, z) => z * w, z0, times, Rk4 with { Parameters = [w, w] }),
            "Parameters[0] and Parameters[1] are the same tensor");
        Expect.Throws<ArgumentException>(() => Ode.Solve((t, z) => z * w, z0, times, Rk4 with { Parameters = [w, z0] }),
            "Parameters[1] is component 0 of z0");
        Expect.Throws<ArgumentException>(() => Ode.Solve((t, z) => z, z0, times, Rk4 with { Parameters = [Tensor.From(new long[] { 1 })] }),
            "Parameters[0]", "I64");
        var disposed = Tensor.Ones([2], DType.F64);
        disposed.Dispose();
        Expect.Throws<ArgumentException>(() => Ode.Solve((t, z) => z, z0, times, Rk4 with { Parameters = [disposed] }), "Parameters[0] has been disposed");
    }

    [Fact]
    public void AdjointTolerancesAreChecked()
    {
        using var scope = TensorScope.Begin();
        var z0 = Tensor.From(new[] { 1.0 });
        Expect.Throws<ArgumentException>(() => Ode.Solve((t, z) => -z, z0, Tensor.From(new[] { 0.0, 1.0 }), new OdeOptions { AdjointRtol = -1 }),
            "AdjointRtol and AdjointAtol must be finite, non-negative and not both zero");
    }
}
