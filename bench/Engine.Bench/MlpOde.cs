using Engine.Autodiff;
using Engine.Memory;
using Engine.Random;

namespace Engine.Bench;

// Inside the namespace: from a namespace under Engine, a plain `Ode` would name the namespace Engine.Ode, not the class.
using Engine.Ode;

/// <summary>
/// The neural-ODE workload of the issue: dz/dt = tanh(z W1^T + b1) W2^T + b2, an MLP 2 -> 64 -> 2 (F32), on a
/// batch of 1024 states, over t in [0, 1]. Parameters are leaves with RequiresGrad; one call solves (and
/// back-propagates) inside a scope, so every call starts from the same memory.
/// </summary>
public sealed class MlpOde : IDisposable
{
    public const int Batch = 1024, Hidden = 64;

    /// <summary>RK4 with 100 fixed steps.</summary>
    public static OdeOptions Rk4 { get; } = new() { Solver = Solvers.Rk4, Steps = 100 };

    /// <summary>Dormand-Prince 5(4) at rtol 1e-5 (atol 1e-6).</summary>
    public static OdeOptions Dopri5 { get; } = new() { Solver = Solvers.Dopri5, Rtol = 1e-5, Atol = 1e-6 };

    private readonly Tensor w1, b1, w2, b2, z0, times;

    public MlpOde()
    {
        var generator = new Generator(2025);
        Tensor Parameter(int[] shape, double scale)
        {
            using var draw = Tensor.Randn(shape, DType.F32, generator);
            var p = draw * scale;
            p.RequiresGrad = true;
            return p;
        }
        w1 = Parameter([Hidden, 2], Math.Sqrt(1.0 / 2));
        b1 = Parameter([Hidden], 0.1);
        w2 = Parameter([2, Hidden], Math.Sqrt(1.0 / Hidden));
        b2 = Parameter([2], 0.1);
        z0 = Tensor.Randn([Batch, 2], DType.F32, generator);
        times = Tensor.From(new[] { 0f, 1f });
    }

    public IReadOnlyList<Tensor> Parameters => [w1, b1, w2, b2];

    private Tensor Field(Tensor t, Tensor z) => Tensor.Linear(Tensor.Linear(z, w1, b1).Tanh(), w2, b2);

    /// <summary>One evaluation of the field at z0, not recorded: the unit of work the solver repeats.</summary>
    public void EvaluateField()
    {
        using var scope = TensorScope.Begin();
        using var noGrad = Tape.NoGrad();
        using var t = Tensor.Scalar(0);
        Field(t, z0);
    }

    /// <summary>The forward solve under a tape, differentiated by <paramref name="method"/>, without the backward pass.</summary>
    public OdeStats RecordedForward(OdeOptions options, OdeGradient method)
    {
        using var scope = TensorScope.Begin();
        using var tape = Tape.Record();
        return Ode.Solve(Field, z0, times, options with { Gradient = method, Parameters = Parameters }).Stats;
    }

    /// <summary>The solve alone, not recorded.</summary>
    public OdeStats Forward(OdeOptions options)
    {
        using var scope = TensorScope.Begin();
        using var noGrad = Tape.NoGrad();
        return Ode.Solve(Field, z0, times, options).Stats;
    }

    /// <summary>
    /// The solve under a tape, differentiated by <paramref name="method"/> (the parameters listed for the Adjoint and
    /// Checkpointed methods), then back-propagation of mean(z(1)^2) into the parameters' gradients, which are cleared.
    /// </summary>
    public OdeStats ForwardBackward(OdeOptions options, OdeGradient method = OdeGradient.Direct, Action<long>? afterForward = null)
    {
        OdeStats stats;
        using (var scope = TensorScope.Begin())
        using (var tape = Tape.Record())
        {
            long before = DeviceMemory.Stats(Device.Cpu).BytesInUse;
            var solution = Ode.Solve(Field, z0, times, options with { Gradient = method, Parameters = Parameters });
            afterForward?.Invoke(DeviceMemory.Stats(Device.Cpu).BytesInUse - before);
            tape.Backward(solution.States.Narrow(0, 1, 1).Square().Mean());
            stats = solution.Stats;
        }
        foreach (var p in Parameters) p.ZeroGrad();
        return stats;
    }

    public void Dispose()
    {
        foreach (var t in new[] { w1, b1, w2, b2, z0, times }) t.Dispose();
    }
}
