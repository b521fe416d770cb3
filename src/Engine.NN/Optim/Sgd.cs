namespace Engine.NN;

/// <summary>
/// Stochastic gradient descent with optional momentum (heavy-ball or Nesterov), dampening and L2 weight decay, like
/// <c>torch.optim.SGD</c>; state <c>momentum_buffer</c> when momentum is not 0.
/// </summary>
public sealed class Sgd : Optimizer
{
    /// <summary>Creates the optimizer.</summary>
    public Sgd(IEnumerable<Tensor> parameters, double learningRate, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(parameters, learningRate)
    {
        if (momentum < 0 || weightDecay < 0) throw new ArgumentException($"Sgd: momentum {momentum} and weight decay {weightDecay} must be non-negative");
        if (nesterov && (momentum <= 0 || dampening != 0)) throw new ArgumentException("Sgd: Nesterov momentum requires a positive momentum and zero dampening");
        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
    }

    /// <summary>Momentum factor.</summary>
    public double Momentum { get; }
    /// <summary>Dampening of the momentum.</summary>
    public double Dampening { get; }
    /// <summary>L2 penalty added to the gradient.</summary>
    public double WeightDecay { get; }
    /// <summary>Nesterov momentum.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc />
    protected override void Update(Tensor parameter, Tensor gradient, long step, Dictionary<string, Tensor> state)
    {
        var buffer = Momentum != 0 ? StateTensor(state, "momentum_buffer", parameter) : null;
        ParameterUpdate.Sgd(parameter, gradient, buffer, LearningRate, Momentum, Dampening, WeightDecay, Nesterov, firstStep: step == 1);
    }
}
