using Engine.Autodiff;
using Engine.Ode.Tests.Support;
using Xunit;

namespace Engine.Ode.Tests;

/// <summary>
/// The Adjoint and Checkpointed solves are one node whose inputs are z0, the times and OdeOptions.Parameters: a
/// field that uses an unlisted tensor requiring gradients is refused rather than left without its gradient; listed
/// parameters may be results of recorded ops (gradients flow on to their inputs) or unused (zero gradients); the
/// list must name each tensor once and not z0.
/// </summary>
public class ParameterTests
{
    public static TheoryData<OdeGradient> NodeMethods() => new(OdeGradient.Adjoint, OdeGradient.Checkpointed);

    private static readonly OdeOptions Rk4 = new() { Solver = Solvers.Rk4, Steps = 8 };

    [Theory]
    [MemberData(nameof(NodeMethods))]
    public void AFieldUsingUnlistedTensorsThatRequireGradientsIsRefused(OdeGradient method)
    {
        using var scope = TensorScope.Begin();
        var w = Tensor.Full([2], 0.5, DType.F64);
        w.RequiresGrad = true;
        var z0 = Tensor.From(new[] { 1.0, -1.0 });
        Tensor Field(Tensor t, Tensor z) => z * w;
        using (var tape = Tape.Record())
        {
            Expect.Throws<InvalidOperationException>(() => Ode.Solve(Field, z0, Tensor.From(new[] { 0.0, 1.0 }), Rk4 with { Gradient = method }),
                $"Ode.Solve ({method}): f uses tensors that require gradients, but OdeOptions.Parameters is empty", "list every tensor f closes over");
        }
        // Nothing recording: no gradient is lost, so nothing to refuse.
        Ode.Solve(Field, z0, Tensor.From(new[] { 0.0, 1.0 }), Rk4 with { Gradient = method });
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
