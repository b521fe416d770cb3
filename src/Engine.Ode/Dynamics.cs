namespace Engine.Ode;

/// <summary>
/// The user's f(t, z) as the solvers call it: t is passed as a 0-dimensional tensor of the state's dtype (so
/// f may use it in tensor code, and a gradient with respect to t can be taken through it), each result is
/// checked against the state's shapes, and calls are counted.
/// </summary>
internal sealed class Dynamics(Func<Tensor, OdeState, OdeState> f, OdeState template)
{
    private readonly DType dtype = template[0].DType;
    private readonly Device device = template[0].Device;

    /// <summary>Calls of f so far.</summary>
    public int Evaluations { get; private set; }

    /// <summary>
    /// f(t, z), with each component made contiguous (a new handle when it already is), so the result is the
    /// solver's own to dispose even when f returns one of its inputs or a tensor it closes over.
    /// </summary>
    public OdeState Evaluate(double t, OdeState z)
    {
        using var time = Tensor.Scalar(t, dtype, device);
        var derivative = f(time, z) ?? throw new InvalidOperationException($"Ode.Solve: f(t = {Describe.Number(t)}, z) returned null");
        Evaluations++;
        if (derivative.Count != template.Count)
            throw new ArgumentException(
                $"Ode.Solve: f(t = {Describe.Number(t)}, z) returned {derivative.Count} tensors for a state of {template.Count}");
        for (int i = 0; i < template.Count; i++)
        {
            var expected = template[i];
            var actual = derivative[i];
            if (!actual.Shape.AsSpan().SequenceEqual(expected.Shape) || actual.DType != dtype || actual.Device != device)
                throw new ArgumentException(
                    $"Ode.Solve: f(t = {Describe.Number(t)}, z) returned {Describe.Tensor(actual)} for component {i} of the state, " +
                    $"which is {Describe.Tensor(expected)}; dz/dt must have the state's shape, dtype and device");
        }
        return new OdeState(derivative.Select(d => d.Contiguous()).ToArray());
    }
}
