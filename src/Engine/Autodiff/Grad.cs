namespace Engine.Autodiff;

/// <summary>Functional forms of reverse-mode differentiation.</summary>
public static class Grad
{
    /// <summary>
    /// Runs <paramref name="f"/> on <paramref name="inputs"/> and returns its outputs with the
    /// vector-Jacobian products cotangents^T * d outputs / d inputs, one per input. The ODE gradient
    /// methods use this for the adjoint system and for step-by-step back-propagation.
    /// </summary>
    public static (Tensor[] Outputs, Tensor[] Vjps) Vjp(Func<Tensor[], Tensor[]> f, Tensor[] inputs, Tensor[] cotangents)
    {
        using var tape = Tape.Record();
        foreach (var input in inputs) tape.Watch(input);
        var outputs = f(inputs);
        return (outputs, tape.Gradients(outputs, cotangents, inputs));
    }
}
