using Engine.Ode.Tests.Support;
using Xunit;

namespace Engine.Ode.Tests;

/// <summary>Bad input and failing solves: each error says what was wrong and where (t, h, the error norm, shapes, indices).</summary>
public class InputErrorTests
{
    private static Tensor Times(params double[] values) => Tensor.From(values);

    private static Tensor Decay(Tensor t, Tensor z) => -z;

    [Fact]
    public void ADerivativeOfTheWrongShapeNamesTAndBothShapes()
    {
        using var scope = TensorScope.Begin();
        var z0 = Tensor.Ones([2], DType.F64);
        Expect.Throws<ArgumentException>(() => Ode.Solve((t, z) => Tensor.Ones([3], DType.F64), z0, Times(0, 1)),
            "f(t = 0, z)", "[3] F64", "[2] F64");
        // Wrong only later: the message names the time of the offending call.
        Expect.Throws<ArgumentException>(() => Ode.Solve((t, z) => t.Item<double>() > 0.55 ? z.Reshape(1, 2) : -z, z0, Times(0, 1),
            new OdeOptions { Solver = Solvers.Euler, Steps = 10 }), "f(t = 0.6, z)", "[1, 2]");
        Expect.Throws<ArgumentException>(() => Ode.Solve((t, z) => -z.To(DType.F32), z0, Times(0, 1)), "[2] F32", "[2] F64");
        Expect.Throws<ArgumentException>(() => Ode.Solve((t, z) => new OdeState(-z[0], -z[0]), new OdeState(z0), Times(0, 1)),
            "returned 2 tensors for a state of 1");
    }

    [Fact]
    public void TimesMustBeStrictlyMonotonicFiniteAndOneDimensional()
    {
        using var scope = TensorScope.Begin();
        var z0 = Tensor.Ones([2], DType.F64);
        Expect.Throws<ArgumentException>(() => Ode.Solve(Decay, z0, Times(0, 1, 0.5, 2)), "strictly increasing or strictly decreasing", "times[1] = 1", "times[2] = 0.5");
        Expect.Throws<ArgumentException>(() => Ode.Solve(Decay, z0, Times(1, 0.5, 0.5)), "times[1] = 0.5", "times[2] = 0.5");
        Expect.Throws<ArgumentException>(() => Ode.Solve(Decay, z0, Times(0, double.NaN, 1)), "times[1] is NaN");
        Expect.Throws<ArgumentException>(() => Ode.Solve(Decay, z0, Tensor.Zeros([2, 2], DType.F64)), "1-D", "[2, 2]");
        Expect.Throws<ArgumentException>(() => Ode.Solve(Decay, z0, Tensor.From(new long[] { 0, 1 })), "1-D F32 or F64", "I64");
    }

    [Fact]
    public void NaNInZ0IsRefusedNamingT0()
    {
        using var scope = TensorScope.Begin();
        Expect.Throws<ArgumentException>(() => Ode.Solve(Decay, Tensor.From(new[] { 1.0, double.NaN }), Times(0.25, 1)), "z0 contains NaN", "t = 0.25");
    }

    [Fact]
    public void HugeFiniteStatesAreNotMistakenForNaN()
    {
        using var scope = TensorScope.Begin();
        var solution = Ode.Solve(Decay, Tensor.From(new[] { 1e300, -1e300 }), Times(0, 1), new OdeOptions { Solver = Solvers.Rk4, Steps = 4 });
        Assert.All(solution.States.ToArray<double>(), v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void NaNDuringFixedStepsNamesTheStep()
    {
        using var scope = TensorScope.Begin();
        var error = Expect.Throws<OdeSolverException>(
            () => Ode.Solve((t, z) => t.Item<double>() > 0.5 ? z.Log() - 100 : -z, Tensor.From(new[] { 1.0, -1.0 }), Times(0, 1),
                new OdeOptions { Solver = Solvers.Euler, Steps = 10 }),
            "NaN or infinite", "from t = 0.6 to t = 0.7", "h = 0.1");
        Assert.Equal(0.6, error.Time, 12);
    }

    [Fact]
    public void NaNDuringAdaptiveStepsEndsInAnUnderflowNamingT()
    {
        using var scope = TensorScope.Begin();
        var error = Expect.Throws<OdeSolverException>(
            () => Ode.Solve((t, z) => t.Item<double>() > 0.5 ? z * double.NaN : -z, Tensor.From(new[] { 1.0 }), Times(0, 1)),
            "step size underflow", "last error norm NaN", "f returned NaN or infinite values near t = 0.5");
        Assert.InRange(error.Time, 0.5 - 1e-9, 0.5);
        Assert.True(double.IsNaN(error.ErrorNorm));
    }

    [Fact]
    public void ABlowUpEndsInAnUnderflowAtTheSingularity()
    {
        using var scope = TensorScope.Begin();
        // y' = y^2, y(0) = 1: y = 1 / (1 - t) blows up at t = 1.
        var error = Expect.Throws<OdeSolverException>(() => Ode.Solve((t, z) => z.Square(), Tensor.From(new[] { 1.0 }), Times(0, 2)),
            "step size underflow", "h = ");
        Assert.InRange(error.Time, 0.999, 1.001);
        Assert.True(Math.Abs(error.StepSize) < 1e-10);
    }

    [Fact]
    public void MaxStepsStopsTheSolveNamingTAndH()
    {
        using var scope = TensorScope.Begin();
        var error = Expect.Throws<OdeSolverException>(
            () => Ode.Solve(Decay, Tensor.From(new[] { 1.0 }), Times(0, 100), new OdeOptions { MaxSteps = 5 }),
            "reached MaxSteps = 5 at t = ", "before t = 100", "h = ", "last error norm");
        Assert.True(error.Time > 0 && error.Time < 100 && error.StepSize > 0);
        Expect.Throws<ArgumentException>(
            () => Ode.Solve(Decay, Tensor.From(new[] { 1.0 }), Times(0, 1), new OdeOptions { Solver = Solvers.Rk4, StepSize = 1e-3, MaxSteps = 10 }),
            "take 1000 steps, more than MaxSteps = 10");
    }

    [Fact]
    public void InconsistentOptionsAreNamed()
    {
        using var scope = TensorScope.Begin();
        var z0 = Tensor.From(new[] { 1.0 });
        void Solve(OdeOptions options) => Ode.Solve(Decay, z0, Times(0, 1), options);
        Expect.Throws<ArgumentException>(() => Solve(new OdeOptions { Solver = Solvers.Rk4 }), "rk4 has no error estimate", "set StepSize or Steps");
        Expect.Throws<ArgumentException>(() => Solve(new OdeOptions { StepSize = 0.1, Steps = 10 }), "not both");
        Expect.Throws<ArgumentException>(() => Solve(new OdeOptions { Steps = 0 }), "Steps must be positive");
        Expect.Throws<ArgumentException>(() => Solve(new OdeOptions { Rtol = -1 }), "Rtol and Atol");
        Expect.Throws<ArgumentException>(() => Solve(new OdeOptions { Rtol = 0, Atol = 0 }), "not both zero");
        Expect.Throws<ArgumentException>(() => Solve(new OdeOptions { MinFactor = 2 }), "MinFactor");
    }

    [Fact]
    public void TheStateMustBeFloatingWithOneDTypeAndDevice()
    {
        using var scope = TensorScope.Begin();
        Expect.Throws<ArgumentException>(() => Ode.Solve((t, z) => z, Tensor.From(new long[] { 1 }), Times(0, 1)), "component 0 of z0", "I64");
        Expect.Throws<ArgumentException>(() => Ode.Solve((t, z) => z, new OdeState(Tensor.Ones([2], DType.F64), Tensor.Ones([2])), Times(0, 1)),
            "component 1 of z0", "F32");
    }
}
