using Engine.Random;

namespace Engine.Ode;

/// <summary>
/// The user's f(t, z) as the solvers call it: t is passed as a 0-dimensional tensor of the state's dtype (so
/// f may use it in tensor code), each result is checked against the state's shapes, and calls are counted.
/// </summary>
internal sealed class Dynamics
{
    private readonly Func<Tensor, OdeState, OdeState> f;
    private readonly int[][] shapes;
    private readonly DType dtype;
    private readonly Device device;

    /// <summary>Dynamics for states shaped like <paramref name="template"/> (only its shapes, dtype and device are kept).</summary>
    public Dynamics(Func<Tensor, OdeState, OdeState> f, OdeState template)
    {
        this.f = f;
        shapes = template.Select(c => c.Shape).ToArray();
        dtype = template[0].DType;
        device = template[0].Device;
    }

    /// <summary>Calls of f so far.</summary>
    public int Evaluations { get; private set; }

    /// <summary>Whether each evaluation records where the generators f draws from stood before it.</summary>
    public bool RecordsDraws { get; init; }

    /// <summary>
    /// f(t, z), with each component made contiguous (a new handle when it already is), so the result is the
    /// solver's own to dispose even when f returns one of its inputs or a tensor it closes over.
    /// </summary>
    public OdeState Evaluate(double t, OdeState z) => Evaluate(t, z, out _);

    /// <summary>
    /// <see cref="Evaluate(double, OdeState)"/>; with <see cref="RecordsDraws"/>, <paramref name="drawn"/> holds the
    /// generators f drew from at their positions before it (null when it drew nothing or nothing is recorded).
    /// </summary>
    public OdeState Evaluate(double t, OdeState z, out GeneratorPositions? drawn)
    {
        using var time = Tensor.Scalar(t, dtype, device);
        OdeState? result;
        drawn = null;
        if (RecordsDraws)
        {
            result = Generator.Record(() => f(time, z), out var positions);
            if (positions.Entries.Count > 0) drawn = positions;
        }
        else result = f(time, z);
        var derivative = result ?? throw new InvalidOperationException($"Ode.Solve: f(t = {Describe.Number(t)}, z) returned null");
        Evaluations++;
        if (derivative.Count != shapes.Length)
            throw new ArgumentException(
                $"Ode.Solve: f(t = {Describe.Number(t)}, z) returned {derivative.Count} tensors for a state of {shapes.Length}");
        for (int i = 0; i < shapes.Length; i++)
        {
            var actual = derivative[i];
            if (!actual.Shape.AsSpan().SequenceEqual(shapes[i]) || actual.DType != dtype || actual.Device != device)
                throw new ArgumentException(
                    $"Ode.Solve: f(t = {Describe.Number(t)}, z) returned {Describe.Tensor(actual)} for component {i} of the state, " +
                    $"which is {Describe.Shape(shapes[i])} {dtype} on {device}; dz/dt must have the state's shape, dtype and device");
        }
        return new OdeState(derivative.Select(d => d.Contiguous()).ToArray());
    }
}
