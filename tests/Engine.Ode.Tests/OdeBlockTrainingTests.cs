using Engine.Autodiff;
using Engine.Memory;
using Engine.NN;
using Engine.Random;
using Xunit;

namespace Engine.Ode.Tests;

/// <summary>
/// Training an <see cref="OdeBlock"/> with Adam, with each gradient method: the loss of fitting the time-1 flow of the
/// damped rotation z' = z A (A = [[-0.1, 2], [-2, -0.1]]) with a linear field falls, and every scoped step after the first
/// (which creates Adam's state) returns to the same bytes in use; disposing everything returns to the start.
/// </summary>
[Collection(MemoryCounterCollection.Name)]
public class OdeBlockTrainingTests
{
    private static readonly IMemoryStats Stats = DeviceMemory.Stats(Device.Cpu);

    public static TheoryData<OdeGradient> Methods() => new(OdeGradient.Direct, OdeGradient.Adjoint, OdeGradient.Checkpointed);

    [Theory]
    [MemberData(nameof(Methods))]
    public void LossFallsAndEachScopedStepReturnsToTheBaseline(OdeGradient method)
    {
        long before = Stats.BytesInUse;
        using (var inputs = Tensor.Randn([64, 2], generator: new Generator(1)))
        using (var targets = RotationFlow(inputs))
        using (var block = new OdeBlock(new Linear(2, 2, generator: new Generator(2)),
                   new OdeOptions { Solver = Solvers.Dopri5, Rtol = 1e-4, Atol = 1e-5, Gradient = method }))
        using (var optimizer = new Adam(block.Parameters(), 0.05))
        {
            var losses = new List<double>();
            long baseline = 0;
            for (int step = 0; step < 60; step++)
            {
                using (var scope = TensorScope.Begin())
                using (var tape = Tape.Record())
                {
                    var loss = Functional.MseLoss(block.Forward(inputs), targets);
                    tape.Backward(loss);
                    optimizer.Step();
                    losses.Add(loss.Item<double>());
                }
                optimizer.ZeroGrad();
                if (step == 0) baseline = Stats.BytesInUse;
                Assert.True(baseline == Stats.BytesInUse, $"{method}: {Stats.BytesInUse} bytes in use after step {step}, {baseline} after step 0");
            }
            Assert.True(losses[^1] < 0.05 * losses[0], $"{method}: loss went from {losses[0]} to {losses[^1]}");
        }
        Assert.Equal(before, Stats.BytesInUse);
    }

    /// <summary>The state at t = 1 of z' = z A from <paramref name="z0"/>, solved tightly without recording.</summary>
    private static Tensor RotationFlow(Tensor z0)
    {
        using var scope = TensorScope.Begin();
        using var noGrad = Tape.NoGrad();
        var a = Tensor.From(new float[,] { { -0.1f, 2f }, { -2f, -0.1f } });
        var states = Ode.Solve((t, z) => z.MatMul(a), z0, Tensor.From(new[] { 0f, 1f }), new OdeOptions { Rtol = 1e-6, Atol = 1e-6 }).States;
        return scope.Keep(states[1]);
    }
}
