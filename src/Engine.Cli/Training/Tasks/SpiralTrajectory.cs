using Engine.Autodiff;
using Engine.Random;

namespace Engine.Cli.Training.Tasks;

using Engine.Ode;

/// <summary>
/// The data of torchdiffeq's <c>ode_demo.py</c>: the trajectory of dy/dt = y^3 A with A = [[-0.1, 2], [-2, -0.1]] (y a
/// row vector, the cube elementwise) from y0 = [2, 0], at 1000 equally spaced times on [0, 25]; solved tightly in F64,
/// kept in F32 on the training device. Training batches are windows of consecutive points from random starts.
/// </summary>
internal sealed class SpiralTrajectory : IDisposable
{
    public const int Length = 1000;
    public const double Duration = 25;

    public SpiralTrajectory(Device device)
    {
        using var scope = TensorScope.Begin();
        using var noGrad = Tape.NoGrad();
        var a = Tensor.From(new[,] { { -0.1, 2.0 }, { -2.0, -0.1 } });
        var times = Tensor.Linspace(0, Duration, Length, DType.F64);
        var y0 = Tensor.From(new[] { 2.0, 0.0 }, [1, 2]);
        var states = Ode.Solve((t, y) => (y * y * y).MatMul(a), y0, times, new OdeOptions { Rtol = 1e-10, Atol = 1e-10 }).States;
        Times = scope.Keep(times.To(DType.F32).To(device));
        States = scope.Keep(states.Reshape(Length, 2).To(DType.F32).To(device));
    }

    /// <summary>[1000] times on [0, 25].</summary>
    public Tensor Times { get; }

    /// <summary>[1000, 2] states at <see cref="Times"/>.</summary>
    public Tensor States { get; }

    /// <summary>
    /// <paramref name="count"/> windows of <paramref name="length"/> consecutive points whose starts are drawn without
    /// replacement: the states at their starts [count, 2], the times of a window counted from its start (the first
    /// <paramref name="length"/> times: the dynamics does not depend on t), and the windows' states [length, count, 2].
    /// </summary>
    public (Tensor Start, Tensor Times, Tensor States) Windows(int count, int length, Generator generator)
    {
        int starts = Length - length;
        if (count <= 0 || count > starts)
            throw new ArgumentException($"SpiralTrajectory: {count} windows of {length} points do not fit {starts} distinct starts");
        using var draws = Tensor.Rand([starts], DType.F64, generator);
        var keys = draws.ToArray<double>();
        var chosen = Enumerable.Range(0, starts).OrderBy(i => keys[i]).Take(count).ToArray();
        var index = new long[length * count];
        for (int i = 0; i < length; i++)
            for (int b = 0; b < count; b++)
                index[i * count + b] = chosen[b] + i;
        var windows = States.IndexSelect(0, Tensor.From(index, device: States.Device)).Reshape(length, count, 2);
        return (windows[0], Times[..length], windows);
    }

    public void Dispose()
    {
        Times.Dispose();
        States.Dispose();
    }
}
