namespace Engine.Autodiff;

/// <summary>Functional forms of reverse-mode differentiation.</summary>
public static class Grad
{
    /// <summary>
    /// Runs <paramref name="f"/> on <paramref name="inputs"/> and returns its outputs with the vector-Jacobian
    /// products cotangents^T * d outputs / d inputs, one per input. It records on a tape of its own in a frame of
    /// its own, so it works anywhere (inside <see cref="Tape.NoGrad"/>, inside a backward rule or a custom
    /// function) and the tapes around it record none of its work. With <paramref name="createGraph"/> it records
    /// in the current frame instead, so the outer tapes can differentiate the products (gradient penalties).
    /// The ODE gradient methods use this for the adjoint system and for step-by-step back-propagation.
    /// </summary>
    public static (Tensor[] Outputs, Tensor[] Vjps) Vjp(Func<Tensor[], Tensor[]> f, Tensor[] inputs, Tensor[] cotangents,
        bool createGraph = false, bool allowUnused = false)
    {
        using var frame = createGraph ? default : GradFrame.PushIsolated(enabled: true);
        using var mode = Tape.EnableGrad();
        using var tape = Tape.Record();
        foreach (var input in inputs) tape.Watch(input);
        var outputs = f(inputs);
        return (outputs, tape.Gradients(outputs, cotangents, inputs, createGraph, allowUnused));
    }
}
