using Engine.Autodiff;
using Engine.Memory;
using Engine.Random;
using Xunit;

namespace Engine.Ode.Tests;

/// <summary>The CPU allocator's counters are process-wide, so the tests that read them run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryCounterCollection
{
    public const string Name = "Memory counters";
}

/// <summary>
/// Solves free what they allocate: everything made inside a scope is gone when the scope (and the tape) are
/// disposed, also after a failed solve; a solve that is not recorded keeps O(1) states whatever the number of
/// steps; a recorded (Direct) solve keeps saved tensors growing linearly with the steps.
/// </summary>
[Collection(MemoryCounterCollection.Name)]
public class MemoryTests : IDisposable
{
    private static readonly IMemoryStats Stats = DeviceMemory.Stats(Device.Cpu);
    private readonly Tensor w1, b1, w2, b2, z0;

    public MemoryTests()
    {
        var generator = new Generator(7);
        w1 = Tensor.Randn([32, 2], DType.F32, generator);
        b1 = Tensor.Zeros([32]);
        w2 = Tensor.Randn([2, 32], DType.F32, generator);
        b2 = Tensor.Zeros([2]);
        z0 = Tensor.Randn([256, 2], DType.F32, generator);
        foreach (var p in new[] { w1, b1, w2, b2 }) p.RequiresGrad = true;
    }

    public void Dispose()
    {
        foreach (var t in new[] { w1, b1, w2, b2, z0 }) t.Dispose();
    }

    private Tensor Field(Tensor t, Tensor z) => Tensor.Linear(Tensor.Linear(z, w1, b1).Tanh(), w2, b2);

    public static TheoryData<bool> Adaptive() => new(false, true);

    private static OdeOptions Options(bool adaptive, int steps = 40) =>
        adaptive ? new OdeOptions { Solver = Solvers.Dopri5, Rtol = 1e-5, Atol = 1e-6 } : new OdeOptions { Solver = Solvers.Rk4, Steps = steps };

    [Theory]
    [MemberData(nameof(Adaptive))]
    public void ASolveInAScopeReturnsToTheBaseline(bool adaptive)
    {
        long baseline = Stats.BytesInUse;
        using (var scope = TensorScope.Begin())
        {
            var solution = Ode.Solve(Field, z0, Tensor.Linspace(0, 1, 7), Options(adaptive));
            Assert.Equal([7, 256, 2], solution.States.Shape);
        }
        Assert.Equal(baseline, Stats.BytesInUse);
    }

    public static TheoryData<bool, OdeGradient> AdaptiveAndMethods() => new()
    {
        { false, OdeGradient.Direct }, { true, OdeGradient.Direct }, { false, OdeGradient.Adjoint }, { true, OdeGradient.Adjoint },
        { false, OdeGradient.Checkpointed }, { true, OdeGradient.Checkpointed },
    };

    [Theory]
    [MemberData(nameof(AdaptiveAndMethods))]
    public void ForwardAndBackwardReturnToTheBaselineOnceTheGradientsAreCleared(bool adaptive, OdeGradient method)
    {
        long baseline = Stats.BytesInUse;
        using (var scope = TensorScope.Begin())
        using (var tape = Tape.Record())
        {
            var options = Options(adaptive) with { Gradient = method, Parameters = [w1, b1, w2, b2] };
            var states = Ode.Solve(Field, z0, Tensor.Linspace(0, 1, 7), options).States;
            tape.Backward(states.Square().Mean());
        }
        Assert.NotNull(w1.Grad);
        foreach (var p in new[] { w1, b1, w2, b2 }) p.ZeroGrad();
        Assert.Equal(baseline, Stats.BytesInUse);
    }

    [Theory]
    [MemberData(nameof(Adaptive))]
    public void AFailedSolveLeavesNothingAllocated(bool adaptive)
    {
        long baseline = Stats.BytesInUse;
        using (var scope = TensorScope.Begin())
        {
            Assert.Throws<OdeSolverException>(() => Ode.Solve((t, z) => t.Item<float>() > 0.5f ? Field(t, z) * float.NaN : Field(t, z),
                z0, Tensor.From(new[] { 0f, 1f }), Options(adaptive)));
        }
        Assert.Equal(baseline, Stats.BytesInUse);
    }

    [Fact]
    public void AnUnrecordedSolveHoldsTheSameMemoryForAnyNumberOfSteps()
    {
        long Peak(int steps)
        {
            using var scope = TensorScope.Begin();
            using var noGrad = Tape.NoGrad();
            long before = Stats.BytesInUse;
            Stats.ResetPeak();
            Ode.Solve(Field, z0, Tensor.From(new[] { 0f, 1f }), Options(adaptive: false, steps));
            return Stats.PeakBytesInUse - before;
        }
        Peak(10);
        Assert.Equal(Peak(10), Peak(200));
    }

    [Fact]
    public void ARecordedSolveHoldsMemoryLinearInTheSteps()
    {
        long Held(int steps)
        {
            using var scope = TensorScope.Begin();
            using var tape = Tape.Record();
            long before = Stats.BytesInUse;
            Ode.Solve(Field, z0, Tensor.From(new[] { 0f, 1f }), Options(adaptive: false, steps));
            return Stats.BytesInUse - before;
        }
        long h20 = Held(20), h40 = Held(40), h80 = Held(80);
        Assert.True(h40 > h20 && Math.Abs((h80 - h40) - 2 * (h40 - h20)) <= 0.02 * (h80 - h40), $"held {h20}, {h40}, {h80} bytes for 20, 40, 80 steps");
    }
}
