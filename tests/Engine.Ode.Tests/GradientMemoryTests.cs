using Engine.Autodiff;
using Engine.Memory;
using Engine.Ode.Tests.Support;
using Engine.Random;
using Xunit;

namespace Engine.Ode.Tests;

/// <summary>
/// What each gradient method holds, from the allocator's counters: L chained solves (ODE blocks) of Nt RK4 steps
/// each, an MLP field shared by the blocks, and the peak bytes in use during the backward pass above the memory in
/// use before the forward. A least-squares fit of peak = c0 + cL L + cN Nt + cLN L Nt over L in {1, 2, 3} and Nt in
/// {8, 16, 32} gives the shape: Direct grows as L Nt (every step of every block is on the tape), Checkpointed as
/// L + Nt (the blocks' inputs, and one state per step of the block being differentiated), Adjoint as L only. Each run also checks that the
/// memory in use returns to where it was once the scope and the tape are gone.
/// </summary>
[Collection(MemoryCounterCollection.Name)]
public class GradientMemoryTests : IDisposable
{
    private static readonly IMemoryStats Stats = DeviceMemory.Stats(Device.Cpu);
    private static readonly int[] Blocks = [1, 2, 3], StepCounts = [8, 16, 32];
    private readonly ITestOutputHelper output;
    private readonly Tensor w1, b1, w2, b2, z0, times;

    public GradientMemoryTests(ITestOutputHelper output)
    {
        this.output = output;
        var generator = new Generator(11);
        w1 = Tensor.Randn([32, 2], DType.F32, generator);
        b1 = Tensor.Zeros([32]);
        using (var draw = Tensor.Randn([2, 32], DType.F32, generator)) w2 = draw * 0.2;
        b2 = Tensor.Zeros([2]);
        z0 = Tensor.Randn([256, 2], DType.F32, generator);
        times = Tensor.From(new[] { 0f, 1f });
        foreach (var p in Parameters) p.RequiresGrad = true;
    }

    private Tensor[] Parameters => [w1, b1, w2, b2];

    public void Dispose()
    {
        foreach (var t in new[] { w1, b1, w2, b2, z0, times }) t.Dispose();
    }

    private Tensor Field(Tensor t, Tensor z) => Tensor.Linear(Tensor.Linear(z, w1, b1).Tanh(), w2, b2);

    /// <summary>Peak bytes in use during backward above the memory in use before the forward; checks that everything is freed after.</summary>
    private long PeakDuringBackward(OdeGradient method, int blocks, int steps)
    {
        long baseline = Stats.BytesInUse, peak;
        var options = new OdeOptions { Solver = Solvers.Rk4, Steps = steps, Gradient = method, Parameters = Parameters };
        using (var scope = TensorScope.Begin())
        using (var tape = Tape.Record())
        {
            var z = z0;
            for (int l = 0; l < blocks; l++)
                z = Ode.Solve(Field, z, times, options).States.Narrow(0, 1, 1).Reshape(z0.Shape);
            var loss = z.Square().Mean();
            Stats.ResetPeak();
            tape.Backward(loss);
            peak = Stats.PeakBytesInUse - baseline;
        }
        foreach (var p in Parameters) p.ZeroGrad();
        Assert.Equal(baseline, Stats.BytesInUse);
        return peak;
    }

    /// <summary>The fitted c0, cL, cN, cLN and the largest residual.</summary>
    private (double[] Coefficients, double Residual) Fit(OdeGradient method)
    {
        PeakDuringBackward(method, 1, 8);
        var rows = new List<double[]>();
        var peaks = new List<double>();
        foreach (int l in Blocks)
            foreach (int n in StepCounts)
            {
                rows.Add([1, l, n, l * n]);
                peaks.Add(PeakDuringBackward(method, l, n));
            }
        var c = LeastSquares.Fit([.. rows], [.. peaks]);
        double residual = rows.Select((r, i) => Math.Abs(r.Zip(c, (x, y) => x * y).Sum() - peaks[i])).Max();
        output.WriteLine($"{method}: peak = {c[0]:F0} + {c[1]:F0} L + {c[2]:F0} Nt + {c[3]:F0} L Nt bytes (largest residual {residual:F0}); " +
            $"peaks {string.Join(", ", peaks)}");
        return (c, residual);
    }

    [Fact]
    public void EachMethodHoldsWhatItPromises()
    {
        const double StateBytes = 256 * 2 * sizeof(float);
        var (direct, directResidual) = Fit(OdeGradient.Direct);
        var (checkpointed, checkpointedResidual) = Fit(OdeGradient.Checkpointed);
        var (adjoint, adjointResidual) = Fit(OdeGradient.Adjoint);
        // What one recorded step holds (the stages' activations), from the Direct method's L Nt term.
        double step = direct[3];
        Assert.True(step > 10 * StateBytes, $"Direct holds {step} bytes per step");
        Assert.True(Math.Abs(direct[2]) < 0.01 * step && Math.Abs(direct[1]) < 3 * StateBytes, "Direct: growth beside L Nt");
        Assert.True(Math.Abs(checkpointed[3]) < 0.01 * step, "Checkpointed: an L Nt term");
        Assert.InRange(checkpointed[2], 0.9 * StateBytes, 1.1 * StateBytes);
        Assert.InRange(checkpointed[1], 0.1 * StateBytes, 3 * StateBytes);
        Assert.True(Math.Abs(adjoint[3]) < 0.01 * step && Math.Abs(adjoint[2]) < 0.01 * step, "Adjoint: growth with Nt");
        Assert.InRange(adjoint[1], 0.1 * StateBytes, 3 * StateBytes);
        foreach (var residual in new[] { directResidual, checkpointedResidual, adjointResidual })
            Assert.True(residual < StateBytes, $"the fit leaves a residual of {residual} bytes");
    }
}
