namespace Engine.NN;

/// <summary>
/// Adam (Kingma and Ba 2015) with bias correction and optional L2 weight decay added to the gradient, like
/// <c>torch.optim.Adam</c>; state <c>exp_avg</c> and <c>exp_avg_sq</c>.
/// </summary>
public class Adam : Optimizer
{
    /// <summary>Creates the optimizer.</summary>
    public Adam(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : base(parameters, learningRate)
    {
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) throw new ArgumentException($"{GetType().Name}: betas must lie in [0, 1), got ({beta1}, {beta2})");
        if (!(eps >= 0) || !(weightDecay >= 0)) throw new ArgumentException($"{GetType().Name}: eps {eps} and weight decay {weightDecay} must be non-negative");
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
    }

    /// <summary>Decay of the first moment.</summary>
    public double Beta1 { get; }
    /// <summary>Decay of the second moment.</summary>
    public double Beta2 { get; }
    /// <summary>Added to the denominator.</summary>
    public double Eps { get; }
    /// <summary>Weight decay: an L2 penalty for Adam, decoupled for <see cref="AdamW"/>.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether the weight decay shrinks the parameter directly (AdamW) instead of entering the gradient.</summary>
    protected virtual bool DecoupledWeightDecay => false;

    /// <inheritdoc />
    protected override void Update(Tensor parameter, Tensor gradient, long step, Dictionary<string, Tensor> state) =>
        ParameterUpdate.Adam(parameter, gradient, StateTensor(state, "exp_avg", parameter), StateTensor(state, "exp_avg_sq", parameter), step,
            LearningRate, Beta1, Beta2, Eps, WeightDecay, DecoupledWeightDecay);
}

/// <summary>Adam with decoupled weight decay (Loshchilov and Hutter 2019), like <c>torch.optim.AdamW</c> (default decay 0.01).</summary>
public sealed class AdamW(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0.01)
    : Adam(parameters, learningRate, beta1, beta2, eps, weightDecay)
{
    /// <inheritdoc />
    protected override bool DecoupledWeightDecay => true;
}
