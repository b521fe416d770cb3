using Engine.Ops;

namespace Engine;

/// <summary>
/// Fused in-place optimizer updates: each call is one pass of one backend op over a parameter, its gradient and its
/// state, instead of a chain of elementwise ops. They are not recorded; the parameter and state tensors are marked
/// modified, so a tape that saved them notices. Optimizers (<c>Engine.NN</c>) call them under <c>Tape.NoGrad()</c>.
/// </summary>
public static class ParameterUpdate
{
    /// <summary>
    /// One step of <c>torch.optim.SGD</c>: g = gradient + weightDecay parameter; with momentum, the buffer becomes
    /// g on the first step and momentum buffer + (1 - dampening) g after, and g becomes the buffer (Nesterov:
    /// g + momentum buffer); then parameter -= learningRate g. <paramref name="momentumBuffer"/> is required exactly
    /// when <paramref name="momentum"/> is not 0.
    /// </summary>
    public static void Sgd(Tensor parameter, Tensor gradient, Tensor? momentumBuffer, double learningRate, double momentum = 0,
        double dampening = 0, double weightDecay = 0, bool nesterov = false, bool firstStep = false)
    {
        const string op = "Sgd";
        CheckState(op, parameter, gradient, momentumBuffer is null ? [] : [momentumBuffer]);
        if ((momentum != 0) != (momentumBuffer is not null))
            throw new ArgumentException($"{op}: a momentum buffer is needed exactly when momentum ({momentum}) is not 0");
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException($"{op}: Nesterov momentum requires a positive momentum and zero dampening, got momentum {momentum} and dampening {dampening}");
        parameter.Backend.SgdUpdate(parameter.Buffer, gradient.Buffer, momentumBuffer?.Buffer,
            new SgdRule(learningRate, momentum, dampening, weightDecay, nesterov, firstStep));
        parameter.MarkModified();
        momentumBuffer?.MarkModified();
    }

    /// <summary>
    /// One step of <c>torch.optim.Adam</c> (or <c>AdamW</c> when <paramref name="decoupledWeightDecay"/>) at step
    /// <paramref name="step"/> (1 for the first), updating the parameter and the moment estimates
    /// <paramref name="expAvg"/> and <paramref name="expAvgSq"/> in place: L2 decay adds weightDecay parameter to the
    /// gradient, decoupled decay multiplies the parameter by 1 - learningRate weightDecay;
    /// m = beta1 m + (1 - beta1) g, v = beta2 v + (1 - beta2) g^2,
    /// parameter -= learningRate / (1 - beta1^step) m / (sqrt(v / (1 - beta2^step)) + eps).
    /// </summary>
    public static void Adam(Tensor parameter, Tensor gradient, Tensor expAvg, Tensor expAvgSq, long step, double learningRate,
        double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0, bool decoupledWeightDecay = false)
    {
        const string op = "Adam";
        CheckState(op, parameter, gradient, [expAvg, expAvgSq]);
        if (step < 1) throw new ArgumentException($"{op}: step counts from 1, got {step}");
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1))
            throw new ArgumentException($"{op}: betas must lie in [0, 1), got ({beta1}, {beta2})");
        parameter.Backend.AdamUpdate(parameter.Buffer, gradient.Buffer, expAvg.Buffer, expAvgSq.Buffer,
            new AdamRule(learningRate, beta1, beta2, eps, weightDecay, decoupledWeightDecay, step));
        parameter.MarkModified();
        expAvg.MarkModified();
        expAvgSq.MarkModified();
    }

    private static void CheckState(string op, Tensor parameter, Tensor gradient, Tensor[] state)
    {
        OpChecks.Floating(op, parameter);
        foreach (var t in (Tensor[])[gradient, .. state])
        {
            OpChecks.Compatible(op, parameter, t);
            if (!t.Dims.AsSpan().SequenceEqual(parameter.Dims))
                throw new ArgumentException($"{op}: {OpChecks.Describe(t)} does not match the parameter {OpChecks.Describe(parameter)}");
        }
    }
}
